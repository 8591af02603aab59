// The capture thread's batches, without a thread: what is sent, when, and what is shed past the bounds.
import { afterEach, describe, expect, it } from 'vitest';
import type { UnsequencedWireEvent } from '../../shared/wire.ts';
import { createEventBatches, type EventBatches } from './event-batches.ts';

const ev = (n: number): UnsequencedWireEvent => ({ kind: 'sample', connId: n }) as unknown as UnsequencedWireEvent;
const ids = (events: UnsequencedWireEvent[]): number[] => events.map((e) => e.connId);
/** One turn of the event loop: an immediate set before this one has run by then. */
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

let live: EventBatches | null = null;
afterEach(() => live?.flush(true)); // no timer of a test outlives it

function make(maxInFlight = 4, maxPending = 100) {
  const sent: number[][] = [];
  const unread = new Int32Array(new SharedArrayBuffer(4));
  const b = createEventBatches({ send: (events) => sent.push(ids(events)), unread, maxInFlight, maxPending, batchMs: 5 });
  live = b;
  return { b, sent, unread };
}

describe('the capture thread’s event batches', () => {
  it('sends events pushed in one turn as one batch, after the turn, and counts it in flight', async () => {
    const { b, sent, unread } = make();
    b.push(ev(1));
    b.push(ev(2));
    b.push(ev(3));
    expect(sent).toEqual([]);
    await turn();
    expect(sent).toEqual([[1, 2, 3]]);
    expect(Atomics.load(unread, 0)).toBe(1);
  });

  it('holds batches while the receiver is behind by the bound, then sends what it gathered in order', () => {
    const { b, sent, unread } = make(2);
    Atomics.store(unread, 0, 2);
    b.push(ev(1));
    b.push(ev(2));
    b.flush(false);
    expect(sent).toEqual([]);
    expect(b.pending()).toBe(2);
    Atomics.sub(unread, 0, 1); // the receiver took one in
    b.flush(false);
    expect(sent).toEqual([[1, 2]]);
    expect(Atomics.load(unread, 0)).toBe(2);
  });

  it('sends past the bound when forced (an answer must not overtake the events before it)', () => {
    const { b, sent, unread } = make(1);
    Atomics.store(unread, 0, 1);
    b.push(ev(7));
    b.flush(true);
    expect(sent).toEqual([[7]]);
  });

  it('sheds events past the pending bound and counts each one; those it kept go in order', () => {
    const { b, sent, unread } = make(1, 3);
    Atomics.store(unread, 0, 1);
    for (let i = 1; i <= 5; i++) b.push(ev(i));
    expect(b.pending()).toBe(3);
    expect(b.shed).toBe(2);
    Atomics.store(unread, 0, 0);
    b.flush(false);
    expect(sent).toEqual([[1, 2, 3]]);
    b.push(ev(6));
    expect(b.shed).toBe(2);
    Atomics.sub(unread, 0, 1); // the receiver took that batch in
    b.flush(false);
    expect(sent).toEqual([[1, 2, 3], [6]]);
  });
});
