// Messages against reads: which reads carried a message, and where messages begin and end in the stream.
// Pure, so that the ribbon and the log can both ask, and tests can check it without a page.
import type { ChunkEvent, EventOf, TcpEvent } from '../../shared/events.ts';

export type MessageEvent = EventOf<'message'>;

/** One connection's messages, oldest first. */
export function messagesOf(events: readonly TcpEvent[], connId: number | null | undefined): MessageEvent[] {
  if (connId === null || connId === undefined) return [];
  const out: MessageEvent[] = [];
  for (const e of events) if (e.kind === 'message' && e.connId === connId) out.push(e);
  return out;
}

/**
 * The reads that carried a message, prefix and delimiter included: reads of one connection follow each
 * other, so they are those of its connection with a seq from firstReadSeq to lastReadSeq.
 */
export function readsCarrying(message: MessageEvent, reads: readonly ChunkEvent[]): ChunkEvent[] {
  return reads.filter((r) => r.connId === message.connId && r.seq >= message.firstReadSeq && r.seq <= message.lastReadSeq);
}

/** "read 3", "reads 2–5": how the page names the reads that carried a message, by their place among `reads`. */
export function carriedBy(message: MessageEvent, reads: readonly ChunkEvent[]): string {
  const first = reads.findIndex((r) => r.seq >= message.firstReadSeq);
  let last = first;
  while (last + 1 < reads.length && reads[last + 1]!.seq <= message.lastReadSeq) last++;
  if (first < 0 || reads[first]!.seq > message.lastReadSeq) return 'reads no longer held';
  return first === last ? `read ${first + 1}` : `reads ${first + 1}–${last + 1}`;
}

export interface MessageSpan {
  /** 1-based among the messages the page holds for the connection. */
  n: number;
  message: MessageEvent;
  x: number;
  w: number;
}

/**
 * The messages visible between pixels `pxFrom` and `pxTo`, at `ppb` pixels per byte with stream offset
 * `start` at pixel 0, each at least `minPx` wide so that an empty message still shows where it was cut.
 * Messages are sorted by offset, so the scan stops at the first one past the view.
 */
export function layoutMessages(messages: readonly MessageEvent[], start: number, ppb: number, pxFrom: number, pxTo: number, minPx = 2): MessageSpan[] {
  const out: MessageSpan[] = [];
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const x = (m.offset - start) * ppb;
    if (x >= pxTo) break;
    const w = Math.max(minPx, m.length * ppb);
    if (x + w < pxFrom) continue;
    out.push({ n: i + 1, message: m, x, w });
  }
  return out;
}
