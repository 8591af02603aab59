// A large JSON (or CSV) answer as a stream: each item is serialised only when the socket wants more, so an
// answer never exists twice in memory (objects, then one giant string, then its bytes) and a client that
// stops reading stops the work. Chunks of about 64 KiB keep the per-write cost low.
import { Readable } from 'node:stream';

const CHUNK_CHARS = 64 * 1024;

/** `head`, then each item's text separated by `separator`, then `tail`; items are turned into text one by one. */
export function textStream<T>(head: string, items: readonly T[], toText: (item: T) => string | null, separator: string, tail: string): Readable {
  function* chunks(): Generator<string> {
    let buf = head;
    let first = true;
    for (const item of items) {
      const text = toText(item);
      if (text === null) continue;
      buf += first ? text : separator + text;
      first = false;
      if (buf.length >= CHUNK_CHARS) {
        yield buf;
        buf = '';
      }
    }
    yield buf + tail;
  }
  return Readable.from(chunks(), { objectMode: false, highWaterMark: CHUNK_CHARS });
}

/** A JSON array of `items`, each serialised with `toJson` when it is its turn. */
export function jsonArrayStream<T>(items: readonly T[], toJson: (item: T) => unknown): Readable {
  return textStream('[', items, (item) => JSON.stringify(toJson(item)), ',', ']');
}
