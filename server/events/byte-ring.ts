// The kept bytes of chunk events, written in order into one block of memory that wraps at its end. An
// event's bytes never straddle the end: a keep that does not fit goes to the start and the tail is left
// unused. At (keeps + 1) × the largest keep, the bytes of the newest `keeps` keeps are never overwritten
// (see byte-ring.test.ts), and the per-read path allocates nothing.
//
// The block starts small (the full size halved, about 64 KB for the store) and doubles, up to its full
// size, only when a write would otherwise overwrite one of the newest `keeps` keeps: a server that reads
// 7 bytes at a time never holds megabytes for keeps of 4 KiB it does not make, and a fresh one holds
// almost nothing. The full size may be capped below (keeps + 1) × the largest keep (the store's is
// EVENT_STORE_BYTES): at the cap a write overwrites the oldest keeps, and `holds` says which are gone.
// Positions are logical (they only grow), so they stay valid across a growth; `offsetOf` maps one into
// the current block.

/** Where the block starts, about: enough for a few thousand small reads. */
const INITIAL_BYTES = 64 * 1024;

export class ByteRing {
  private block: Uint8Array;
  /** The full size: the bound, reached only when the keeps need it. */
  readonly maxBytes: number;
  /** Logical position of the next write. */
  private head = 0;
  /** Logical start and length of the newest `keeps` writes, indexed by write number mod keeps. */
  private readonly starts: Float64Array;
  private readonly counts: Uint32Array;
  private writes = 0;
  /** Keeps at logical positions below this were overwritten (only ever at the cap, or once out of the newest `keeps`). */
  private validFrom = 0;
  /**
   * The last partial view made of a source: reads come from one shared read buffer, and past the kept-bytes
   * budget each keeps the same first bytes, so one view serves them all (making one per read cost a tenth of
   * the per-read path: a global lookup, the buffer's materialisation and an allocation).
   */
  private viewSource: Uint8Array | null = null;
  private view: Uint8Array = new Uint8Array(0);

  /** Holds the last `keeps` keeps of at most `maxKeep` bytes each, in at most `capBytes` (≥ maxKeep). */
  constructor(
    readonly keeps: number,
    readonly maxKeep: number,
    initialBytes = INITIAL_BYTES,
    capBytes = Infinity,
  ) {
    const full = (keeps + 1) * maxKeep;
    this.maxBytes = capBytes < full ? Math.max(capBytes, maxKeep) : full;
    // Every size is the full size halved k times, so each size divides the next and a keep that did not
    // straddle the end of a smaller block does not straddle the end of a larger one either.
    let size = this.maxBytes;
    while (size % 2 === 0 && size / 2 >= Math.max(initialBytes, maxKeep)) size /= 2;
    this.block = alloc(size);
    this.starts = new Float64Array(keeps);
    this.counts = new Uint32Array(keeps);
  }

  /** The current block; a keep at logical `pos` is `bytes[offsetOf(pos), offsetOf(pos) + count)`. */
  get bytes(): Uint8Array {
    return this.block;
  }

  /** Bytes allocated now (at most maxBytes). */
  get allocatedBytes(): number {
    return this.block.length;
  }

  offsetOf(pos: number): number {
    return pos % this.block.length;
  }

  /** Whether the keep written at logical `pos` is still intact (false once the capped ring wrote over it). */
  holds(pos: number): boolean {
    return pos >= this.validFrom;
  }

  /** Copies the first `count` (≤ maxKeep) bytes of `src` into the ring; returns its logical position. */
  write(src: Uint8Array, count: number): number {
    let pos = this.place(count, this.block.length);
    if (this.block.length < this.maxBytes && this.writes > 0) {
      // The oldest keep that must survive this write: the newest `keeps` include this one.
      const oldest = this.writes >= this.keeps ? (this.writes + 1) % this.keeps : 0;
      const oldestStart = this.writes >= this.keeps && this.keeps === 1 ? pos : this.starts[oldest]!;
      if (pos + count - oldestStart > this.block.length) {
        this.grow(pos + count - oldestStart);
        pos = this.place(count, this.block.length);
      }
    }
    const at = pos % this.block.length;
    // A whole source (a read buffer read to its end) is copied without making a view of it.
    this.block.set(count === src.length ? src : this.viewOf(src, count), at);
    this.head = pos + count;
    // Everything more than a block behind the head has been written over.
    if (this.head - this.block.length > this.validFrom) this.validFrom = this.head - this.block.length;
    const i = this.writes % this.keeps;
    this.starts[i] = pos;
    this.counts[i] = count;
    this.writes++;
    return pos;
  }

  /** The first `count` bytes of `src` as a view, reusing the last one made when it fits. */
  private viewOf(src: Uint8Array, count: number): Uint8Array {
    if (src !== this.viewSource || this.view.length !== count) {
      this.viewSource = src;
      this.view = new Uint8Array(src.buffer, src.byteOffset, count);
    }
    return this.view;
  }

  /** A copy of a keep, safe to hold after the ring moves on. */
  copy(pos: number, count: number): Uint8Array {
    const at = pos % this.block.length;
    return this.block.slice(at, at + count);
  }

  clear(): void {
    this.head = 0;
    this.writes = 0;
    this.validFrom = 0;
  }

  /** Where a keep of `count` bytes goes in a block of `size`: at the head, or at the next wrap if it would straddle it. */
  private place(count: number, size: number): number {
    const at = this.head % size;
    return at + count > size ? this.head + (size - at) : this.head;
  }

  /** Doubles the block until `span` bytes fit (at most maxBytes), moving every live keep to its place in it. */
  private grow(span: number): void {
    let size = this.block.length;
    while (size < span && size < this.maxBytes) size *= 2;
    if (size === this.block.length) return;
    const next = alloc(size);
    const live = Math.min(this.writes, this.keeps);
    for (let k = this.writes - live; k < this.writes; k++) {
      const i = k % this.keeps;
      const start = this.starts[i]!;
      if (start < this.validFrom) continue; // already written over: nothing to move
      const count = this.counts[i]!;
      const from = start % this.block.length;
      next.set(this.block.subarray(from, from + count), start % size);
    }
    this.block = next;
  }
}

function alloc(size: number): Uint8Array {
  // allocUnsafeSlow: an ArrayBuffer of its own, not zero-filled (pages come from the OS as they are touched).
  return new Uint8Array(Buffer.allocUnsafeSlow(size).buffer, 0, size);
}
