// Frame decoders cut a connection's byte stream into messages. They are pure: bytes in, messages out, no
// sockets and no clocks, so that property tests can throw any split of any stream at them.
//
// The hot path is `push`, once per read. A message that lies wholly inside the read is handed out as a view
// into it (no copy); only the start of a message that the read leaves unfinished is copied, into a buffer
// bounded by the framing's maximum. Messages handed to `onMessage` are views valid only during the call.
import type { Framing } from '../../shared/config.ts';
import { delimiterBytes } from '../../shared/framing-encode.ts';
import type { FramingRule } from '../../shared/message-events.ts';
import { DelimiterDecoder } from './delimiter-decoder.ts';
import { FixedDecoder } from './fixed-decoder.ts';
import { LengthPrefixDecoder } from './length-prefix-decoder.ts';

/** The peer broke the framing's rule: the connection is to be closed with reason `protocol`. */
export interface FramingViolation {
  rule: FramingRule;
  message: string;
}

/**
 * `msg`: the payload (no prefix, no delimiter), a view valid only during the call. `firstReadSeq`,
 * `lastReadSeq`: the reads that carried the frame's first and last byte. `offset`: the stream position of
 * the payload's first byte.
 */
export type OnMessage = (msg: Uint8Array, firstReadSeq: number, lastReadSeq: number, offset: number) => void;

export interface FrameDecoder {
  /**
   * Decodes one read. `chunk` may be the socket's read buffer: it is not kept. Calls `onMessage` for each
   * message the read completes, in order, then returns null, or the violation that ends the connection
   * (messages completed before the bad bytes are still delivered). Once broken, a decoder stays broken and
   * every later push returns the same violation.
   */
  push(chunk: Uint8Array, readSeq: number, onMessage: OnMessage): FramingViolation | null;
  /**
   * Like push from `chunk[start]`, but returns right after the first message it completes. Returns the index
   * of the first byte it did not consume (chunk.length when the read ran out first), or -1 on a violation.
   * This is what lets a new framing take over exactly at a message boundary in the middle of a read.
   */
  pushToBoundary(chunk: Uint8Array, start: number, readSeq: number, onMessage: OnMessage): number;
  /** Bytes of the current, unfinished frame received so far (prefix and partial delimiter included). 0 ⇔ at a message boundary. */
  buffered(): number;
  /** The most `buffered()` can ever report: the frame's maximum less one byte (a full frame is delivered, not kept). */
  readonly maxBuffered: number;
  /** Bytes of memory held for the unfinished frame (what the framing-wide cap counts). */
  held(): number;
  /** Stream position of the next byte this decoder will see. */
  nextOffset(): number;
  violation(): FramingViolation | null;
}

/** A decoder for the framing, starting at stream position `startOffset`; null for `raw`, where every read stands alone. */
export function createFrameDecoder(framing: Framing, startOffset = 0): FrameDecoder | null {
  switch (framing.mode) {
    case 'raw':
      return null;
    case 'delimiter':
      return new DelimiterDecoder(delimiterBytes(framing.delimiter), framing.maxMessageBytes, startOffset);
    case 'fixed':
      return new FixedDecoder(framing.size, startOffset);
    case 'length-prefix':
      return new LengthPrefixDecoder(framing.prefixBytes, framing.maxMessageBytes, startOffset);
  }
}
