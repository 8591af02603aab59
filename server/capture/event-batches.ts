// How the capture thread hands its events to the main thread: gathered into batches, one message each,
// so that the main thread wakes once per batch and not once per event. After a quiet spell the first
// event goes at once; under load a batch goes at most every `batchMs`. Bounded twice: batches sent and
// not yet taken in (the main thread counts them down in `unread`, shared memory), and events gathered
// meanwhile; past those, events are shed and counted, never queued without end.
import type { UnsequencedWireEvent } from '../../shared/wire.ts';

export interface EventBatchesOptions {
  /** Sends one batch (the caller adds what goes with it, such as the state after it). */
  send(events: UnsequencedWireEvent[]): void;
  /** Batches sent and not yet taken in; this side adds one per batch, the receiver takes one off. */
  unread: Int32Array;
  maxInFlight: number;
  maxPending: number;
  batchMs: number;
}

export interface EventBatches {
  push(ev: UnsequencedWireEvent): void;
  /** Sends what is gathered now. `force`: even past the batches in flight (before an answer or a state change, which must not overtake the events before them). */
  flush(force: boolean): void;
  /** Events shed because `maxPending` were waiting. */
  readonly shed: number;
  /** Events gathered and not sent yet. */
  pending(): number;
}

export function createEventBatches(o: EventBatchesOptions): EventBatches {
  let pending: UnsequencedWireEvent[] = [];
  let shed = 0;
  let lastSentAt = -Infinity;
  let timer: NodeJS.Timeout | null = null;
  let immediate: NodeJS.Immediate | null = null;

  function schedule(): void {
    if (timer !== null || immediate !== null) return;
    const wait = lastSentAt + o.batchMs - performance.now();
    if (wait <= 0) immediate = setImmediate(() => flush(false));
    else timer = setTimeout(() => flush(false), wait);
  }

  function flush(force: boolean): void {
    if (timer !== null) clearTimeout(timer);
    if (immediate !== null) clearImmediate(immediate);
    timer = null;
    immediate = null;
    if (pending.length === 0) return;
    if (!force && Atomics.load(o.unread, 0) >= o.maxInFlight) {
      // The main thread is behind: look again a batch later.
      timer = setTimeout(() => flush(false), o.batchMs);
      return;
    }
    Atomics.add(o.unread, 0, 1);
    const events = pending;
    pending = [];
    lastSentAt = performance.now();
    o.send(events);
  }

  return {
    push(ev) {
      if (pending.length >= o.maxPending) {
        shed++;
        return;
      }
      pending.push(ev);
      schedule();
    },
    flush,
    get shed() {
      return shed;
    },
    pending: () => pending.length,
  };
}
