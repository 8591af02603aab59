// One fixed block of memory for the kept bytes of chunk events, written in order and wrapped at the end.
// An event's bytes never straddle the end: a keep that does not fit goes to position 0 and the tail is left
// unused. Sized (capacity + 1) × the largest keep, the bytes of the newest `capacity` keeps are never
// overwritten (see byte-ring.test.ts), so a store of `capacity` events can hold its events' bytes here and
// the per-read path allocates nothing. Untouched pages cost no RSS until the head first reaches them.

export class ByteRing {
  /** The whole ring; a keep is `bytes[pos, pos + count)`. */
  readonly bytes: Uint8Array;
  private head = 0;

  /** Holds the last `keeps` keeps of at most `maxKeep` bytes each. */
  constructor(
    readonly keeps: number,
    readonly maxKeep: number,
  ) {
    const size = (keeps + 1) * maxKeep;
    // allocUnsafeSlow: an ArrayBuffer of its own, not zero-filled (pages come from the OS as they are touched).
    this.bytes = new Uint8Array(Buffer.allocUnsafeSlow(size).buffer, 0, size);
  }

  /** Copies the first `count` (≤ maxKeep) bytes of `src` into the ring; returns where they start. */
  write(src: Uint8Array, count: number): number {
    let pos = this.head;
    if (pos + count > this.bytes.length) pos = 0;
    // A whole source (a read buffer read to its end) is copied without making a view of it.
    this.bytes.set(count === src.length ? src : new Uint8Array(src.buffer, src.byteOffset, count), pos);
    this.head = pos + count;
    return pos;
  }

  /** A copy of a keep, safe to hold after the ring moves on. */
  copy(pos: number, count: number): Uint8Array {
    return this.bytes.slice(pos, pos + count);
  }

  clear(): void {
    this.head = 0;
  }
}
