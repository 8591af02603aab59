// `delimiter` framing: a message ends where the delimiter (1 to 48 bytes of UTF-8) occurs. A delimiter may
// be cut between two reads, so the search carries its state across pushes: `matched` counts the delimiter
// bytes that end the data seen so far (a KMP automaton; a one-byte delimiter takes the native indexOf path).
import { toAsciiEscaped } from '../../shared/hex.ts';
import { DecoderBase } from './decoder-base.ts';
import type { OnMessage } from './frame-decoder.ts';

export class DelimiterDecoder extends DecoderBase {
  readonly maxBuffered: number;
  /** fallback[k]: how many delimiter bytes still match after a mismatch that follows k+1 matched bytes. */
  private readonly fallback: Int32Array;
  private matched = 0;

  constructor(
    private readonly delim: Uint8Array,
    private readonly maxMessageBytes: number,
    startOffset = 0,
  ) {
    // The payload may reach the maximum, and the start of a delimiter can follow it before the read ends:
    // that is the most a frame holds unfinished, and all of it is kept.
    super(maxMessageBytes + delim.length - 1, startOffset);
    if (delim.length === 0) throw new RangeError('delimiter must not be empty');
    this.maxBuffered = maxMessageBytes + delim.length - 1;
    this.fallback = buildFallback(delim);
  }

  protected decode(chunk: Uint8Array, start: number, readSeq: number, onMessage: OnMessage, once: boolean): number {
    if (start < chunk.length && this.partial.length === 0) this.firstSeq = readSeq;
    return this.delim.length === 1
      ? this.decodeByte(chunk, start, readSeq, onMessage, once)
      : this.decodeSequence(chunk, start, readSeq, onMessage, once);
  }

  private decodeByte(chunk: Uint8Array, start: number, readSeq: number, onMessage: OnMessage, once: boolean): number {
    const d = this.delim[0]!;
    const max = this.maxMessageBytes;
    const n = chunk.length;
    const base = this.offset - start;
    let i = start; // first byte of this read that belongs to the current frame

    while (i < n) {
      const j = chunk.indexOf(d, i);
      const held = this.partial.length;
      const payload = held + ((j === -1 ? n : j) - i);
      if (payload > max) {
        this.offset = base + n;
        return this.notFound();
      }
      if (j === -1) {
        this.partial.append(chunk, i, n);
        i = n;
        break;
      }
      this.emit(chunk, i, j, readSeq, base, onMessage);
      i = j + 1;
      if (i < n) this.firstSeq = readSeq;
      if (once) break;
    }
    this.offset = base + i;
    return i;
  }

  private decodeSequence(chunk: Uint8Array, start: number, readSeq: number, onMessage: OnMessage, once: boolean): number {
    const delim = this.delim;
    const dlen = delim.length;
    const fallback = this.fallback;
    const max = this.maxMessageBytes;
    const n = chunk.length;
    const base = this.offset - start;
    let from = start; // first byte of this read that belongs to the current frame
    let m = this.matched;
    let i = start;

    while (i < n) {
      const b = chunk[i]!;
      while (m > 0 && delim[m] !== b) m = fallback[m - 1]!;
      if (delim[m] === b) m++;
      i++;
      if (m === dlen) {
        this.emit(chunk, from, i - dlen, readSeq, base, onMessage);
        m = 0;
        from = i;
        if (i < n) this.firstSeq = readSeq;
        if (once) break;
      } else if (this.partial.length + (i - from) - m > max) {
        // Even if the delimiter completed with the next byte, the payload would exceed the maximum.
        this.matched = m;
        this.offset = base + i;
        return this.notFound();
      }
    }

    if (from < i) this.partial.append(chunk, from, i);
    this.matched = m;
    this.offset = base + i;
    return i;
  }

  /**
   * Delivers the payload that ends before chunk[end] (end may be < from when the delimiter began in an
   * earlier read: then the payload is all in `partial`, followed by the delimiter's first bytes).
   */
  private emit(chunk: Uint8Array, from: number, end: number, readSeq: number, base: number, onMessage: OnMessage): void {
    const held = this.partial.length;
    if (held === 0) {
      onMessage(chunk.subarray(from, end), this.firstSeq, readSeq, base + from);
      return;
    }
    const payload = held + (end - from);
    if (end > from) this.partial.append(chunk, from, end);
    onMessage(this.partial.view().subarray(0, payload), this.firstSeq, readSeq, base + from - held);
    this.partial.clear();
  }

  private notFound(): -1 {
    return this.fail(
      'delimiter-not-found',
      `no delimiter "${toAsciiEscaped(this.delim)}" within the maximum of ${this.maxMessageBytes} bytes`,
    );
  }
}

function buildFallback(delim: Uint8Array): Int32Array {
  const f = new Int32Array(delim.length);
  let k = 0;
  for (let i = 1; i < delim.length; i++) {
    while (k > 0 && delim[i] !== delim[k]) k = f[k - 1]!;
    if (delim[i] === delim[k]) k++;
    f[i] = k;
  }
  return f;
}
