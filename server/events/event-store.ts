// A fixed ring of the most recent events: O(1) to append, bounded whatever the load. Chunk events (read,
// write, reply) live in columns of typed arrays with their kept bytes in one byte ring, so appending one
// allocates nothing; rarer events stay objects in a parallel array. Objects for chunk events are built
// only when a reader asks (query, bySeq, wireBySeq). The ring holds EVENT_STORE_BYTES at most: an event
// whose bytes it wrote over keeps its counts and comes with no bytes, `truncated`.
import type { EventKind, TcpEvent } from '../../shared/events.ts';
import { toHex } from '../../shared/hex.ts';
import { EVENT_HEX_MAX_BYTES, EVENT_STORE_BYTES } from '../../shared/limits.ts';
import { ByteRing } from './byte-ring.ts';
import { ChunkColumns, chunkKindCode, chunkKindOf } from './chunk-columns.ts';
import type { WireEventSink } from '../live/batch-json.ts';
import { type StoredEvent, toWire as toWireObject } from './stored-event.ts';

export class EventStore {
  private readonly columns: ChunkColumns;
  private readonly ring: ByteRing;
  /** The event of each slot that is not a chunk event; undefined for chunk slots. */
  private readonly objects: (StoredEvent | undefined)[];
  private next = 0; // slot the next event goes to
  private size = 0;

  constructor(
    readonly capacity: number,
    maxBytes = EVENT_STORE_BYTES,
  ) {
    this.columns = new ChunkColumns(capacity);
    this.ring = new ByteRing(capacity, EVENT_HEX_MAX_BYTES, undefined, maxBytes);
    this.objects = new Array(capacity).fill(undefined);
  }

  get length(): number {
    return this.size;
  }

  /** Bytes the byte ring holds allocated now: it grows only as the kept bytes need. */
  get ringBytes(): number {
    return this.ring.allocatedBytes;
  }

  /** Appends a chunk event, keeping the first `keep` (≤ EVENT_HEX_MAX_BYTES) bytes of `src`. */
  pushChunk(kind: number, seq: number, t: number, connId: number, offset: number, length: number, src: Uint8Array, keep: number): void {
    const slot = this.next;
    const pos = this.ring.write(src, keep);
    this.columns.set(slot, kind, seq, t, connId, offset, length, pos, keep);
    this.objects[slot] = undefined;
    this.advance();
  }

  push(e: StoredEvent): void {
    this.columns.setOther(this.next, e.seq);
    this.objects[this.next] = e;
    this.advance();
  }

  clear(): void {
    this.objects.fill(undefined);
    this.ring.clear();
    this.next = 0;
    this.size = 0;
  }

  /**
   * The newest `limit` events that match, oldest first. Scans from the newest end and stops early. Chunk
   * events come with a copy of their bytes: the caller may keep them.
   */
  query(filter: { kind?: EventKind | undefined; connId?: number | undefined; limit: number }): StoredEvent[] {
    const out: StoredEvent[] = [];
    const code = filter.kind === undefined ? -1 : chunkKindCode(filter.kind);
    const { kind, connId } = this.columns;
    for (let i = 1; i <= this.size && out.length < filter.limit; i++) {
      const slot = (this.next - i + this.capacity) % this.capacity;
      const o = this.objects[slot];
      if (o === undefined) {
        if (code >= 0 && kind[slot] !== code) continue;
        if (filter.connId !== undefined && connId[slot] !== filter.connId) continue;
        out.push(this.materialise(slot));
      } else {
        if (filter.kind !== undefined && o.kind !== filter.kind) continue;
        if (filter.connId !== undefined && o.connId !== filter.connId) continue;
        out.push(o);
      }
    }
    return out.reverse();
  }

  /** The event with this seq, if still held (chunk events with a copy of their bytes). */
  bySeq(seq: number): StoredEvent | undefined {
    const slot = this.slotOf(seq);
    if (slot < 0) return undefined;
    return this.objects[slot] ?? this.materialise(slot);
  }

  /** The event with this seq in its wire form, with at most `maxBytes` of hex, if still held. */
  wireBySeq(seq: number, maxBytes: number): TcpEvent | undefined {
    const slot = this.slotOf(seq);
    if (slot < 0) return undefined;
    const o = this.objects[slot];
    if (o !== undefined) return toWireObject(o, maxBytes);
    const c = this.columns;
    const count = c.byteCount[slot]!;
    const n = this.keptOf(slot, maxBytes);
    const pos = this.ring.offsetOf(c.bytePos[slot]!);
    const requested = c.requested[slot]!;
    const e: TcpEvent = {
      kind: chunkKindOf(c.kind[slot]!)!,
      seq: c.seq[slot]!,
      t: c.t[slot]!,
      connId: c.connId[slot]!,
      offset: c.offset[slot]!,
      length: c.length[slot]!,
      truncated: c.truncated[slot] === 1 || n < count,
      hex: toHex(this.ring.bytes, pos, pos + n),
    };
    return requested >= 0 && e.kind !== 'write' ? ({ ...e, requested } as TcpEvent) : e;
  }

  /** Marks the newest chunk (just pushed) with the count its call asked for (watched servers' calls). */
  setLastRequested(requested: number): void {
    this.columns.requested[(this.next - 1 + this.capacity) % this.capacity] = requested;
  }

  /**
   * Writes the event with this seq in its wire form (as wireBySeq gives it) to `sink`, a chunk event
   * straight from the columns and the byte ring, with no object made; false if it is no longer held.
   */
  writeWireBySeq(seq: number, maxBytes: number, sink: WireEventSink): boolean {
    const slot = this.slotOf(seq);
    if (slot < 0) return false;
    const o = this.objects[slot];
    if (o !== undefined) {
      sink.object(toWireObject(o, maxBytes));
      return true;
    }
    const c = this.columns;
    const count = c.byteCount[slot]!;
    const n = this.keptOf(slot, maxBytes);
    const at = this.ring.offsetOf(c.bytePos[slot]!);
    sink.chunk(chunkKindOf(c.kind[slot]!)!, c.seq[slot]!, c.t[slot]!, c.connId[slot]!, c.offset[slot]!, c.length[slot]!, c.truncated[slot] === 1 || n < count, this.ring.bytes, at, at + n, c.requested[slot]!);
    return true;
  }

  /** Seqs are dense and increasing, so this is O(1); -1 when the event is no longer (or not yet) held. */
  private slotOf(seq: number): number {
    if (this.size === 0) return -1;
    const cap = this.capacity;
    const seqs = this.columns.seq;
    const back = seqs[(this.next - 1 + cap) % cap]! - seq;
    if (back < 0) return -1;
    // Seqs held are dense unless chunks were summarised (numbered, never stored): the dense guess first.
    if (back < this.size) {
      const slot = (this.next - 1 - back + cap * 2) % cap;
      if (seqs[slot] === seq) return slot;
    }
    // Otherwise they still rise from the oldest slot to the newest: a binary search.
    const oldest = (this.next - this.size + cap) % cap;
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const slot = (oldest + mid) % cap;
      const s = seqs[slot]!;
      if (s === seq) return slot;
      if (s < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** How many of the slot's kept bytes to give out, at most `maxBytes`: none once the ring wrote over them. */
  private keptOf(slot: number, maxBytes: number): number {
    const c = this.columns;
    if (!this.ring.holds(c.bytePos[slot]!)) return 0;
    const count = c.byteCount[slot]!;
    return count < maxBytes ? count : maxBytes;
  }

  private materialise(slot: number): StoredEvent {
    const c = this.columns;
    const n = this.keptOf(slot, EVENT_HEX_MAX_BYTES);
    const e = c.toEvent(slot, this.ring.copy(c.bytePos[slot]!, n));
    // Bytes written over: the event says it holds fewer than it kept.
    if (n < c.byteCount[slot]!) e.truncated = true;
    return e;
  }

  private advance(): void {
    this.next = this.next + 1 === this.capacity ? 0 : this.next + 1;
    if (this.size < this.capacity) this.size++;
  }
}
