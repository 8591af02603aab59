// Echo replies of large reads, each in a buffer used again once its write is done. A fresh 64 KiB
// buffer per read at buffer 65536 is external memory V8 cannot see the end of: it collects the whole
// heap to free them, and tcpscope's heap (the event store, the page) is far bigger than a bare echo's.
// Measured at buffer 65536, reply echo: the copies and the collections they caused were a third of the
// server thread's time. Small replies keep coming from Node's own pool (Buffer.from), which is cheaper.

/** Replies shorter than this are copied with Buffer.from, which carves them from Node's 8 KiB pool slabs. */
export const POOLED_REPLY_MIN_BYTES = 4096;

export class ReplyBuffers {
  private readonly free: Buffer[] = [];
  private freeBytes = 0;
  private scratch = Buffer.allocUnsafeSlow(POOLED_REPLY_MIN_BYTES);

  /** @param keepBytes the most bytes kept in buffers waiting to be used again; past it, released ones are dropped. */
  constructor(private readonly keepBytes: number) {}

  /** Bytes held in buffers waiting for their next use. */
  get idleBytes(): number {
    return this.freeBytes;
  }

  /**
   * A copy of `bytes[0, length)`, and the call that gives its buffer back once nothing reads it any more
   * (the write's callback); none for a copy below POOLED_REPLY_MIN_BYTES, which is not pooled.
   */
  copy(bytes: Uint8Array, length: number): { out: Buffer; done: (() => void) | undefined } {
    if (length < POOLED_REPLY_MIN_BYTES) return { out: Buffer.from(bytes.subarray(0, length)), done: undefined };
    let block = this.free.pop();
    if (block !== undefined) this.freeBytes -= block.length;
    // A block too small for this length (the read buffer grew) is left to the collector.
    if (block === undefined || block.length < length) block = Buffer.allocUnsafeSlow(length);
    block.set(bytes.subarray(0, length), 0);
    const kept = block;
    return { out: kept.length === length ? kept : kept.subarray(0, length), done: () => this.release(kept) };
  }

  /**
   * A copy of `bytes[0, length)` (length < POOLED_REPLY_MIN_BYTES) in the scratch buffer, which the next
   * call overwrites: for a write that completes at once, which holds no reference to its bytes afterwards.
   * A write that did not (its socket's Writable length is above zero after it) keeps the scratch: then
   * call scratchKept(), and the next copy goes to a new one.
   */
  scratchCopy(bytes: Uint8Array, length: number): Buffer {
    this.scratch.set(length === bytes.length ? bytes : bytes.subarray(0, length), 0);
    return this.scratch.subarray(0, length);
  }

  /** The last scratch copy's write is pending and holds it: later copies go to a new scratch buffer. */
  scratchKept(): void {
    this.scratch = Buffer.allocUnsafeSlow(POOLED_REPLY_MIN_BYTES);
  }

  private release(block: Buffer): void {
    if (this.freeBytes + block.length > this.keepBytes) return;
    this.free.push(block);
    this.freeBytes += block.length;
  }
}
