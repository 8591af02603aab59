// The fields of chunk events (read, write, reply) as columns of typed arrays indexed by store slot: writing
// one is a handful of stores into preallocated memory, no object. Slots of other events have kind OTHER.
import type { ChunkEvent } from '../../shared/events.ts';

export type ChunkKind = ChunkEvent['kind'];

/** Kind codes; OTHER marks a slot whose event is an object. */
export const OTHER = 0;
const CODES: Record<ChunkKind, number> = { read: 1, write: 2, reply: 3 };
const KINDS: (ChunkKind | undefined)[] = [undefined, 'read', 'write', 'reply'];

export function chunkKindCode(kind: string): number {
  return CODES[kind as ChunkKind] ?? OTHER;
}

export function chunkKindOf(code: number): ChunkKind | undefined {
  return KINDS[code];
}

export class ChunkColumns {
  readonly kind: Uint8Array;
  /** Seqs and byte offsets go beyond 2^32 on a long run: doubles hold integers exactly to 2^53. */
  readonly seq: Float64Array;
  readonly t: Float64Array;
  readonly connId: Float64Array;
  readonly offset: Float64Array;
  readonly length: Float64Array;
  readonly truncated: Uint8Array;
  /** Where the kept bytes are in the byte ring (a logical position: it only grows), and how many. */
  readonly bytePos: Float64Array;
  readonly byteCount: Uint32Array;
  /** What the call asked for, for chunks of a watched server's calls; -1 when not known (the echo server's own). */
  readonly requested: Float64Array;

  constructor(readonly capacity: number) {
    this.kind = new Uint8Array(capacity);
    this.seq = new Float64Array(capacity);
    this.t = new Float64Array(capacity);
    this.connId = new Float64Array(capacity);
    this.offset = new Float64Array(capacity);
    this.length = new Float64Array(capacity);
    this.truncated = new Uint8Array(capacity);
    this.bytePos = new Float64Array(capacity);
    this.byteCount = new Uint32Array(capacity);
    this.requested = new Float64Array(capacity);
  }

  set(slot: number, kind: number, seq: number, t: number, connId: number, offset: number, length: number, bytePos: number, byteCount: number): void {
    this.kind[slot] = kind;
    this.seq[slot] = seq;
    this.t[slot] = t;
    this.connId[slot] = connId;
    this.offset[slot] = offset;
    this.length[slot] = length;
    this.truncated[slot] = byteCount < length ? 1 : 0;
    this.bytePos[slot] = bytePos;
    this.byteCount[slot] = byteCount;
    this.requested[slot] = -1;
  }

  /** Marks a slot as holding an object event (its seq still indexes bySeq). */
  setOther(slot: number, seq: number): void {
    this.kind[slot] = OTHER;
    this.seq[slot] = seq;
  }

  /** The chunk event in `slot` as an object, with `bytes` as given. */
  toEvent(slot: number, bytes: Uint8Array): ChunkEventWithBytes {
    const requested = this.requested[slot]!;
    const e: ChunkEventWithBytes = {
      kind: KINDS[this.kind[slot]!]!,
      seq: this.seq[slot]!,
      t: this.t[slot]!,
      connId: this.connId[slot]!,
      offset: this.offset[slot]!,
      length: this.length[slot]!,
      bytes,
      truncated: this.truncated[slot] === 1,
    };
    return requested >= 0 && e.kind !== 'write' ? ({ ...e, requested } as ChunkEventWithBytes) : e;
  }
}

export type ChunkEventWithBytes = Omit<ChunkEvent, 'hex'> & { bytes: Uint8Array };
