// Turns what happens into numbered events: assigns seq, keeps at most EVENT_HEX_MAX_BYTES of each
// chunk, appends to the store and hands the event to the live stream. This is on the per-read path:
// one small copy, one object, no formatting.
import { EVENT_HEX_MAX_BYTES } from '../../shared/limits.ts';
import type { ConnectionState } from '../echo/connection-state.ts';
import { nowMs } from './clock.ts';
import type { EventStore } from './event-store.ts';
import type { NewEvent, StoredEvent } from './stored-event.ts';

export type ChunkKind = 'read' | 'write' | 'reply';

/**
 * Kept bytes are carved from slabs of this size: one allocation per many events instead of one per
 * event (Node's own pool stops below 4 KiB, so without this every 4096-byte keep is an ArrayBuffer of
 * its own). The ring drops events oldest first, so slabs are freed in order too.
 */
const SLAB_BYTES = 1024 * 1024;
export type EventSink = (e: StoredEvent, conn: ConnectionState | null) => void;

export class Recorder {
  private seq = 1;
  private readonly sinks: EventSink[] = [];
  // Plain Uint8Array views on it: a Buffer view (subarray) costs a derived-class construction per event.
  private slab = Buffer.allocUnsafeSlow(SLAB_BYTES).buffer;
  private slabUsed = 0;

  constructor(readonly store: EventStore) {}

  /** The seq the next event will get. */
  get nextSeq(): number {
    return this.seq;
  }

  /** Calls `sink` with every event from now on; returns the function that stops it. */
  subscribe(sink: EventSink): () => void {
    this.sinks.push(sink);
    return () => {
      const i = this.sinks.indexOf(sink);
      if (i >= 0) this.sinks.splice(i, 1);
    };
  }

  /** Records a chunk of `length` bytes whose first bytes are in `src` (which may be reused after this call). */
  chunk(kind: ChunkKind, conn: ConnectionState, offset: number, src: Uint8Array, length: number): StoredEvent {
    const keep = length < EVENT_HEX_MAX_BYTES ? length : EVENT_HEX_MAX_BYTES;
    if (this.slabUsed + keep > SLAB_BYTES) {
      this.slab = Buffer.allocUnsafeSlow(SLAB_BYTES).buffer;
      this.slabUsed = 0;
    }
    const bytes = new Uint8Array(this.slab, this.slabUsed, keep);
    this.slabUsed += keep;
    bytes.set(keep === src.length ? src : new Uint8Array(src.buffer, src.byteOffset, keep));
    const e: StoredEvent = {
      kind,
      seq: this.seq++,
      t: nowMs(),
      connId: conn.id,
      offset,
      length,
      bytes,
      truncated: keep < length,
    };
    this.emit(e, conn);
    return e;
  }

  /** Records any other event; `t` defaults to now. */
  record(e: NewEvent, conn: ConnectionState | null = null): StoredEvent {
    const stored = { ...e, seq: this.seq++ } as StoredEvent;
    this.emit(stored, conn);
    return stored;
  }

  private emit(e: StoredEvent, conn: ConnectionState | null): void {
    this.store.push(e);
    for (let i = 0; i < this.sinks.length; i++) this.sinks[i]!(e, conn);
  }
}
