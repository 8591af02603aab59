// What every frame decoder shares: its place in the stream, the read that began the frame it is building,
// the copy of that frame's bytes, and the rule the peer broke. Subclasses write only `decode`.
import type { FrameDecoder, FramingViolation, OnMessage } from './frame-decoder.ts';
import type { FramingRule } from '../../shared/message-events.ts';
import { PartialBuffer } from './partial-buffer.ts';

export abstract class DecoderBase implements FrameDecoder {
  abstract readonly maxBuffered: number;
  protected readonly partial: PartialBuffer;
  /** Stream position of the next byte to arrive. */
  protected offset: number;
  /** Seq of the read that carried the first byte of the unfinished frame; meaningless at a boundary. */
  protected firstSeq = -1;
  private broken: FramingViolation | null = null;

  constructor(partialCap: number, startOffset: number) {
    this.partial = new PartialBuffer(partialCap);
    this.offset = startOffset;
  }

  push(chunk: Uint8Array, readSeq: number, onMessage: OnMessage): FramingViolation | null {
    if (this.broken === null) this.decode(chunk, 0, readSeq, onMessage, false);
    return this.broken;
  }

  pushToBoundary(chunk: Uint8Array, start: number, readSeq: number, onMessage: OnMessage): number {
    if (this.broken !== null) return -1;
    return this.decode(chunk, start, readSeq, onMessage, true);
  }

  buffered(): number {
    return this.partial.length;
  }

  held(): number {
    return this.partial.capacity;
  }

  nextOffset(): number {
    return this.offset;
  }

  violation(): FramingViolation | null {
    return this.broken;
  }

  protected fail(rule: FramingRule, message: string): -1 {
    this.broken = { rule, message };
    return -1;
  }

  /**
   * Consumes chunk[start..]; with `once`, stops after the first completed message. Must advance
   * `this.offset` by the bytes it consumed and return the index of the first unconsumed byte, or -1 via fail().
   */
  protected abstract decode(chunk: Uint8Array, start: number, readSeq: number, onMessage: OnMessage, once: boolean): number;
}
