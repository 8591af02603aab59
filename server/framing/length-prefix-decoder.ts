// `length-prefix` framing: a big-endian unsigned length of 1, 2 or 4 bytes, then that many payload bytes.
// The announced length is checked against the maximum before a single payload byte is kept, so a peer
// cannot make the server reserve memory by announcing a huge message.
import { DecoderBase } from './decoder-base.ts';
import type { OnMessage } from './frame-decoder.ts';

const EMPTY = new Uint8Array(0);

export class LengthPrefixDecoder extends DecoderBase {
  readonly maxBuffered: number;
  /** Prefix bytes of the current frame seen so far; the value is accumulated in `announced`, not copied. */
  private prefixSeen = 0;
  private announced = 0;

  constructor(
    private readonly prefixBytes: 1 | 2 | 4,
    private readonly maxMessageBytes: number,
    startOffset = 0,
  ) {
    super(maxMessageBytes, startOffset);
    this.maxBuffered = prefixBytes + maxMessageBytes - 1;
  }

  override buffered(): number {
    return this.prefixSeen + this.partial.length;
  }

  protected decode(chunk: Uint8Array, start: number, readSeq: number, onMessage: OnMessage, once: boolean): number {
    const p = this.prefixBytes;
    const n = chunk.length;
    const base = this.offset - start;
    let i = start;

    while (i < n) {
      if (this.prefixSeen < p) {
        if (this.prefixSeen === 0) this.firstSeq = readSeq;
        // Multiplication, not shifts: a 4-byte length above 2^31 would turn negative under `<<`.
        while (this.prefixSeen < p && i < n) {
          this.announced = this.announced * 256 + chunk[i]!;
          this.prefixSeen++;
          i++;
        }
        if (this.prefixSeen < p) break;
        if (this.announced > this.maxMessageBytes) {
          this.offset = base + i;
          return this.fail(
            'length-prefix-too-large',
            `length prefix announces ${this.announced} bytes, above the maximum of ${this.maxMessageBytes}`,
          );
        }
      }

      const len = this.announced;
      const have = this.partial.length;
      if (have === 0 && n - i >= len) {
        onMessage(len === 0 ? EMPTY : chunk.subarray(i, i + len), this.firstSeq, readSeq, base + i);
        i += len;
      } else {
        const take = Math.min(len - have, n - i);
        this.partial.append(chunk, i, i + take);
        i += take;
        if (this.partial.length < len) break;
        onMessage(this.partial.view(), this.firstSeq, readSeq, base + i - len);
        this.partial.clear();
      }
      this.prefixSeen = 0;
      this.announced = 0;
      if (once) break;
    }

    this.offset = base + i;
    return i;
  }
}
