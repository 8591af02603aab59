// Turns what happens into numbered events: assigns seq, keeps at most EVENT_HEX_MAX_BYTES of each chunk,
// appends to the store and tells whoever listens. This is on the per-read path: a chunk event is one copy
// into the store's byte ring and a few numbers in its columns, no object, unless a sink asked for chunk
// events as objects (tests do; the server's own listeners take the cheap notification instead). Past the
// detail budget (EVENT_DETAIL_CHUNKS_PER_SEC) a chunk is only numbered and counted: two increments.
import {
  EVENT_DETAIL_BURST_CHUNKS,
  EVENT_DETAIL_CHUNKS_PER_SEC,
  EVENT_HEX_MAX_BYTES,
  EVENT_KEPT_BYTES_PER_SEC,
} from '../../shared/limits.ts';
import type { ConnectionState } from '../echo/connection-state.ts';
import { type ChunkKind, chunkKindCode } from './chunk-columns.ts';
import { nowMs } from './clock.ts';
import type { EventStore } from './event-store.ts';
import { KeptBytesBudget } from './kept-bytes-budget.ts';
import type { NewEvent, StoredEvent } from './stored-event.ts';

export type { ChunkKind } from './chunk-columns.ts';
export type EventSink = (e: StoredEvent, conn: ConnectionState | null) => void;
/** Told of every chunk event, with no object built: what the event is can be had from the store by seq. */
export type ChunkListener = (kind: ChunkKind, conn: ConnectionState, seq: number, t: number) => void;
/** Told of every chunk, recorded or summarised: only which connection's counters moved. */
export type CountListener = (conn: ConnectionState) => void;

/**
 * While the detail budget is spent and no live stream refills it, a timer refills it (by the time passed)
 * this long after: not a clock call per read.
 */
const REFILL_MS = 25;

/** How many chunk events are recorded in detail: a token bucket filled at `perSec`, holding at most `burst`. */
export interface DetailBudget {
  perSec: number;
  burst: number;
}


export class Recorder {
  private seq = 1;
  /** Sinks that get every event as an object. */
  private readonly sinks: EventSink[] = [];
  /** Sinks that get only the other events as objects (see subscribe's `chunks`). */
  private readonly otherSinks: EventSink[] = [];
  private readonly chunkListeners: ChunkListener[] = [];
  private readonly countListeners: CountListener[] = [];
  /** Chunk events that may still be recorded in detail now; below 1 the next chunks are summarised. */
  private detailTokens: number;
  private detailFilledAt: number;
  private readonly detailPerMs: number;
  private readonly detailBurst: number;
  /** Armed whenever the budget is spent: a spent budget always has a refill coming. */
  private refillTimer: NodeJS.Timeout | null = null;
  private refillPending = false;
  /** Set while the live stream refills the budget at each batch (refillDetail): asks for a batch when spent. */
  private batchRefill: (() => void) | null = null;
  private readonly refillListeners: (() => void)[] = [];
  /** Chunks numbered and counted past the detail budget with no event of their own, since the start. */
  summarised = 0;

  constructor(
    readonly store: EventStore,
    /** The events' clock (tests drive it by hand). */
    private readonly clock: () => number = nowMs,
    /** Whole chunks kept per second before they thin (EVENT_KEPT_BYTES_PER_SEC; tests that need the largest events raise it). */
    keptBytesPerSec: number = EVENT_KEPT_BYTES_PER_SEC,
    /** Chunk events recorded in detail (EVENT_DETAIL_CHUNKS_PER_SEC after EVENT_DETAIL_BURST_CHUNKS); tests that need every event raise it. */
    detail: DetailBudget = { perSec: EVENT_DETAIL_CHUNKS_PER_SEC, burst: EVENT_DETAIL_BURST_CHUNKS },
  ) {
    this.kept = new KeptBytesBudget(keptBytesPerSec);
    this.detailPerMs = detail.perSec / 1000;
    this.detailBurst = detail.burst;
    this.detailTokens = detail.burst;
    this.detailFilledAt = clock();
  }
  private readonly kept: KeptBytesBudget;

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

  /** Calls `listener` for every chunk from now on, summarised ones included; returns the function that stops it. */
  onCount(listener: CountListener): () => void {
    return addTo(this.countListeners, listener);
  }

  /**
   * Records a chunk of `length` bytes whose first bytes are in `src` (which may be reused after this call);
   * returns its seq. The caller has counted it on `conn`; past the detail budget that count and the seq
   * are all there is of it (`conn.eventsSummarised` says how many).
   */
  chunk(kind: ChunkKind, conn: ConnectionState, offset: number, src: Uint8Array, length: number, watched?: { available: number; requested: number }): number {
    const seq = this.seq++;
    for (let i = 0; i < this.countListeners.length; i++) this.countListeners[i]!(conn);
    if (this.detailTokens < 1) {
      this.summarised++;
      conn.eventsSummarised++;
      if (!this.refillPending) this.scheduleRefill();
      return seq;
    }
    const t = this.clock();
    this.refill(t);
    if (--this.detailTokens < 1 && !this.refillPending) this.scheduleRefill();
    let keep = length < EVENT_HEX_MAX_BYTES ? length : EVENT_HEX_MAX_BYTES;
    // A traced call comes with only a preview of its bytes, and the count it asked for.
    if (watched !== undefined && watched.available < keep) keep = watched.available;
    // Past the kept-bytes budget of this window, a chunk keeps only its first bytes (see EVENT_KEPT_BYTES_PER_SEC).
    keep = this.kept.keep(t, keep);
    this.store.pushChunk(chunkKindCode(kind), seq, t, conn.id, offset, length, src, keep);
    if (watched !== undefined) this.store.setLastRequested(watched.requested);
    for (let i = 0; i < this.chunkListeners.length; i++) this.chunkListeners[i]!(kind, conn, seq, t);
    if (this.sinks.length > 0) {
      const e = this.store.bySeq(seq)!;
      for (let i = 0; i < this.sinks.length; i++) this.sinks[i]!(e, conn);
    }
    return seq;
  }

  /** Calls `listener` each time the timer refills a spent detail budget; returns the function that stops it. */
  onRefill(listener: () => void): () => void {
    return addTo(this.refillListeners, listener);
  }

  /**
   * With `askForBatch`, the budget is refilled only by refillDetail(), which the live stream calls as each
   * batch goes out, and `askForBatch` is called once the budget is spent (a batch must follow). Then every
   * period between two batches details its first chunks and summarises the rest, after them: the order in
   * which the live stream itself details and skips, which the page counts on to place what a batch
   * summarised. With null, a timer refills it again.
   */
  refillByBatch(askForBatch: (() => void) | null): void {
    this.batchRefill = askForBatch;
    if (this.refillPending) this.scheduleRefill();
  }

  /** Adds to the detail budget what the time since it was last filled earned: a new period begins. */
  refillDetail(): void {
    this.refillPending = false;
    this.refill(this.clock());
  }

  /** Adds what the budget earned since it was last filled. */
  private refill(t: number): void {
    const earned = (t - this.detailFilledAt) * this.detailPerMs;
    if (earned > 0) {
      this.detailTokens = Math.min(this.detailBurst, this.detailTokens + earned);
      this.detailFilledAt = t;
    }
  }

  private scheduleRefill(): void {
    this.refillPending = true;
    if (this.batchRefill !== null) return this.batchRefill();
    if (this.refillTimer === null) {
      this.refillTimer = setTimeout(() => this.onRefillTimer(), REFILL_MS);
      this.refillTimer.unref(); // nothing to refill for once everything else has stopped
    } else this.refillTimer.refresh();
  }

  private onRefillTimer(): void {
    if (this.batchRefill !== null) return; // a live stream took over since
    this.refillPending = false;
    this.refill(this.clock());
    // Still spent (a rate of 0, or a clock that stood still): the next summarised chunk asks again.
    for (let i = 0; i < this.refillListeners.length; i++) this.refillListeners[i]!();
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
