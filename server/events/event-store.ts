// A fixed ring of the most recent events: O(1) to append, bounded whatever the load.
import type { EventKind } from '../../shared/events.ts';
import type { StoredEvent } from './stored-event.ts';

export class EventStore {
  private readonly ring: (StoredEvent | undefined)[];
  private next = 0; // index the next event goes to
  private size = 0;

  constructor(readonly capacity: number) {
    this.ring = new Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  push(e: StoredEvent): void {
    this.ring[this.next] = e;
    this.next = (this.next + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.next = 0;
    this.size = 0;
  }

  /** The newest `limit` events that match, oldest first. Scans from the newest end and stops early. */
  query(filter: { kind?: EventKind | undefined; connId?: number | undefined; limit: number }): StoredEvent[] {
    const out: StoredEvent[] = [];
    for (let i = 1; i <= this.size && out.length < filter.limit; i++) {
      const e = this.ring[(this.next - i + this.capacity) % this.capacity]!;
      if (filter.kind !== undefined && e.kind !== filter.kind) continue;
      if (filter.connId !== undefined && e.connId !== filter.connId) continue;
      out.push(e);
    }
    return out.reverse();
  }

  /** The event with this seq, if still held. Seqs are dense and increasing, so this is O(1). */
  bySeq(seq: number): StoredEvent | undefined {
    if (this.size === 0) return undefined;
    const newest = this.ring[(this.next - 1 + this.capacity) % this.capacity]!;
    const back = newest.seq - seq;
    if (back < 0 || back >= this.size) return undefined;
    const e = this.ring[(this.next - 1 - back + this.capacity * 2) % this.capacity];
    return e?.seq === seq ? e : undefined;
  }
}
