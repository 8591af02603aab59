// The bytes of a frame that began in an earlier read. A read is a view into the socket's buffer, which the
// next read overwrites, so whatever must outlive the call is copied here. The copy grows by doubling and
// never past its cap: the cap is what bounds a connection's memory against a peer that never finishes.

const EMPTY = new Uint8Array(0);
const FIRST_CAPACITY = 64;
/** After a message, a buffer larger than this is dropped so that an idle connection does not keep a 16 MiB frame alive. */
const KEEP_CAPACITY = 4096;

export class PartialBuffer {
  private buf: Uint8Array = EMPTY;
  length = 0;

  constructor(readonly cap: number) {}

  append(src: Uint8Array, start: number, end: number): void {
    const need = this.length + (end - start);
    // The decoders check their bounds before appending; reaching this is a decoder bug, never the peer's doing.
    if (need > this.cap) throw new RangeError(`partial frame of ${need} bytes exceeds its cap of ${this.cap}`);
    if (need > this.buf.length) {
      let size = Math.max(FIRST_CAPACITY, this.buf.length * 2);
      while (size < need) size *= 2;
      const grown = new Uint8Array(Math.min(size, this.cap));
      grown.set(this.buf.subarray(0, this.length), 0);
      this.buf = grown;
    }
    this.buf.set(src.subarray(start, end), this.length);
    this.length = need;
  }

  /** Bytes of memory this buffer holds now (its allocation, not just the bytes in use). */
  get capacity(): number {
    return this.buf.length;
  }

  /** A view of the bytes held; valid until the next append or clear. */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
    if (this.buf.length > KEEP_CAPACITY) this.buf = EMPTY;
  }
}
