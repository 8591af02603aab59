// `fixed` framing: every message is exactly `size` bytes. The tutorial's buffer of 7 is this framing done by
// accident; here the message boundary no longer depends on how the kernel happened to cut the stream.
import { DecoderBase } from './decoder-base.ts';
import type { OnMessage } from './frame-decoder.ts';

export class FixedDecoder extends DecoderBase {
  readonly maxBuffered: number;

  constructor(
    private readonly size: number,
    startOffset = 0,
  ) {
    // A frame is kept only until its last byte arrives, so the copy never holds more than `size`.
    super(size, startOffset);
    this.maxBuffered = size - 1;
  }

  protected decode(chunk: Uint8Array, start: number, readSeq: number, onMessage: OnMessage, once: boolean): number {
    const size = this.size;
    const n = chunk.length;
    const base = this.offset - start; // stream position of chunk[0]
    let i = start;

    if (this.partial.length > 0) {
      const take = Math.min(size - this.partial.length, n - i);
      this.partial.append(chunk, i, i + take);
      i += take;
      if (this.partial.length < size) {
        this.offset = base + i;
        return i;
      }
      onMessage(this.partial.view(), this.firstSeq, readSeq, base + i - size);
      this.partial.clear();
      if (once) {
        this.offset = base + i;
        return i;
      }
    }

    while (n - i >= size) {
      onMessage(chunk.subarray(i, i + size), readSeq, readSeq, base + i);
      i += size;
      if (once) {
        this.offset = base + i;
        return i;
      }
    }

    if (i < n) {
      this.partial.append(chunk, i, n);
      this.firstSeq = readSeq;
      i = n;
    }
    this.offset = base + i;
    return i;
  }
}
