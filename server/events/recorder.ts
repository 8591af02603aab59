// Turns what happens into numbered events: assigns seq, keeps at most EVENT_HEX_MAX_BYTES of each chunk,
// appends to the store and tells whoever listens. This is on the per-read path: a chunk event is one copy
// into the store's byte ring and a few numbers in its columns, no object, unless a sink asked for chunk
// events as objects (tests do; the server's own listeners take the cheap notification instead).
import { EVENT_HEX_MAX_BYTES, EVENT_KEPT_BYTES_PER_SEC, EVENT_THIN_HEX_BYTES } from '../../shared/limits.ts';
import type { ConnectionState } from '../echo/connection-state.ts';
import { type ChunkKind, chunkKindCode } from './chunk-columns.ts';
import { nowMs } from './clock.ts';
import type { EventStore } from './event-store.ts';
import type { NewEvent, StoredEvent } from './stored-event.ts';

export type { ChunkKind } from './chunk-columns.ts';
export type EventSink = (e: StoredEvent, conn: ConnectionState | null) => void;
/** Told of every chunk event, with no object built: what the event is can be had from the store by seq. */
export type ChunkListener = (kind: ChunkKind, conn: ConnectionState, seq: number, t: number) => void;

/** The kept-bytes budget is counted per window of this many ms (EVENT_KEPT_BYTES_PER_SEC spread evenly). */
const KEEP_WINDOW_MS = 100;

export class Recorder {
  private seq = 1;
  private keepWindowStart = 0;
  private keptInWindow = 0;
  /** Sinks that get every event as an object. */
  private readonly sinks: EventSink[] = [];
  /** Sinks that get only the other events as objects (see subscribe's `chunks`). */
  private readonly otherSinks: EventSink[] = [];
  private readonly chunkListeners: ChunkListener[] = [];

  constructor(
    readonly store: EventStore,
    /** The events' clock (tests drive it by hand). */
    private readonly clock: () => number = nowMs,
    /** Whole chunks kept per second before they thin (EVENT_KEPT_BYTES_PER_SEC; tests that need the largest events raise it). */
    keptBytesPerSec: number = EVENT_KEPT_BYTES_PER_SEC,
  ) {
    this.keepWindowBytes = (keptBytesPerSec * KEEP_WINDOW_MS) / 1000;
  }
  private readonly keepWindowBytes: number;

  /** The seq the next event will get. */
  get nextSeq(): number {
    return this.seq;
  }

  /**
   * Calls `sink` with every event from now on; returns the function that stops it. With `chunks: false`
   * the sink gets no chunk events (read, write, reply): each chunk event handed to a sink is an object
   * built, with a copy of its bytes, on the per-read path.
   */
  subscribe(sink: EventSink, options: { chunks?: boolean } = {}): () => void {
    return addTo(options.chunks === false ? this.otherSinks : this.sinks, sink);
  }

  /** Calls `listener` for every chunk event from now on; returns the function that stops it. */
  onChunk(listener: ChunkListener): () => void {
    return addTo(this.chunkListeners, listener);
  }

  /** Records a chunk of `length` bytes whose first bytes are in `src` (which may be reused after this call); returns its seq. */
  chunk(kind: ChunkKind, conn: ConnectionState, offset: number, src: Uint8Array, length: number, watched?: { available: number; requested: number }): number {
    let keep = length < EVENT_HEX_MAX_BYTES ? length : EVENT_HEX_MAX_BYTES;
    // A traced call comes with only a preview of its bytes, and the count it asked for.
    if (watched !== undefined && watched.available < keep) keep = watched.available;
    const seq = this.seq++;
    const t = this.clock();
    // Past the kept-bytes budget of this window, a chunk keeps only its first bytes (see EVENT_KEPT_BYTES_PER_SEC).
    if (t - this.keepWindowStart >= KEEP_WINDOW_MS) {
      this.keepWindowStart = t;
      this.keptInWindow = 0;
    }
    if (this.keptInWindow >= this.keepWindowBytes && keep > EVENT_THIN_HEX_BYTES) keep = EVENT_THIN_HEX_BYTES;
    this.keptInWindow += keep;
    this.store.pushChunk(chunkKindCode(kind), seq, t, conn.id, offset, length, src, keep);
    if (watched !== undefined) this.store.setLastRequested(watched.requested);
    for (let i = 0; i < this.chunkListeners.length; i++) this.chunkListeners[i]!(kind, conn, seq, t);
    if (this.sinks.length > 0) {
      const e = this.store.bySeq(seq)!;
      for (let i = 0; i < this.sinks.length; i++) this.sinks[i]!(e, conn);
    }
    return seq;
  }

  /** Records any other event; `t` defaults to now. */
  record(e: NewEvent, conn: ConnectionState | null = null): StoredEvent {
    return this.adopt({ ...e } as NewEvent, conn);
  }

  /**
   * Records an event the caller hands over and never touches again: it gets its seq in place rather than
   * being copied (captured segments and samples, thousands a second; a spread of one was most of record's time).
   */
  adopt(e: NewEvent, conn: ConnectionState | null = null): StoredEvent {
    const stored = e as StoredEvent;
    stored.seq = this.seq++;
    this.store.push(stored);
    for (let i = 0; i < this.sinks.length; i++) this.sinks[i]!(stored, conn);
    for (let i = 0; i < this.otherSinks.length; i++) this.otherSinks[i]!(stored, conn);
    return stored;
  }
}

function addTo<T>(list: T[], item: T): () => void {
  list.push(item);
  return () => {
    const i = list.indexOf(item);
    if (i >= 0) list.splice(i, 1);
  };
}
