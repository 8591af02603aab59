// One connection's framing, and the rule for changing it while bytes flow.
//
// A framing change applies to a connection from its next message boundary:
//  - If the connection is at a boundary (raw framing, or nothing of an unfinished frame buffered), the new
//    framing applies from the next byte that arrives.
//  - Otherwise the old decoder keeps going until the frame it is building completes, even if that happens
//    in the middle of a read; the new framing decodes the rest of that read and everything after. Bytes are
//    never dropped, re-read or decoded twice, and stream offsets carry over unchanged.
//  - A connection that never completes its frame stays in the old framing: the unfinished frame is bounded
//    by the old framing's maximum, and delimiter or length-prefix input that breaks it closes the connection
//    as usual. `pendingFraming` shows the change still waiting, so the page can say why nothing changed.
//  - Changes made while one is pending replace it: the last framing set wins; setting the active framing
//    again cancels the pending change.
import type { Framing } from '../../shared/config.ts';
import { createFrameDecoder, type FrameDecoder, type FramingViolation, type OnMessage } from './frame-decoder.ts';

export class ConnectionFramer {
  private active: Framing;
  private pending: Framing | null = null;
  private decoder: FrameDecoder | null;
  /** Stream position of the next byte while raw; a decoder counts for itself. */
  private rawOffset = 0;
  /** Stream position of the first byte the active framing decoded (or will decode). */
  private since: number;

  /** `startOffset`: the stream position of the next byte, for a connection that already carried bytes unframed. */
  constructor(framing: Framing, startOffset = 0) {
    this.active = framing;
    this.decoder = createFrameDecoder(framing, startOffset);
    this.rawOffset = startOffset;
    this.since = startOffset;
  }

  get framing(): Framing {
    return this.active;
  }

  get pendingFraming(): Framing | null {
    return this.pending;
  }

  /** Stream position from which the active framing applies: where the last switch took effect. */
  get activeSince(): number {
    return this.since;
  }

  /** Bytes of an unfinished message held for this connection; 0 at a boundary. */
  buffered(): number {
    return this.decoder === null ? 0 : this.decoder.buffered();
  }

  /** Bytes of memory held for that message. */
  held(): number {
    return this.decoder === null ? 0 : this.decoder.held();
  }

  setFraming(next: Framing): void {
    if (sameFraming(next, this.active)) {
      this.pending = null;
      return;
    }
    if (this.buffered() === 0) this.switchTo(next);
    else this.pending = next;
  }

  /** One read, as FrameDecoder.push; under raw framing it only counts the bytes. */
  push(chunk: Uint8Array, readSeq: number, onMessage: OnMessage): FramingViolation | null {
    const decoder = this.decoder;
    if (decoder === null) {
      this.rawOffset += chunk.length;
      return null;
    }
    if (this.pending === null) return decoder.push(chunk, readSeq, onMessage);

    // A change is waiting for this decoder's frame to complete (it has bytes buffered, or the change would
    // have applied at once).
    const stop = decoder.pushToBoundary(chunk, 0, readSeq, onMessage);
    if (stop < 0) return decoder.violation();
    if (decoder.buffered() > 0) return null;
    this.switchTo(this.pending);
    // Recursion is at most one level deep: after the switch nothing is pending.
    return stop < chunk.length ? this.push(chunk.subarray(stop), readSeq, onMessage) : null;
  }

  private switchTo(next: Framing): void {
    const at = this.decoder === null ? this.rawOffset : this.decoder.nextOffset();
    this.active = next;
    this.pending = null;
    this.decoder = createFrameDecoder(next, at);
    this.rawOffset = at;
    this.since = at;
  }
}

/** Field by field, because two equal framings may list their keys in different orders. */
export function sameFraming(a: Framing, b: Framing): boolean {
  switch (a.mode) {
    case 'raw':
      return b.mode === 'raw';
    case 'delimiter':
      return b.mode === 'delimiter' && a.delimiter === b.delimiter && a.maxMessageBytes === b.maxMessageBytes;
    case 'fixed':
      return b.mode === 'fixed' && a.size === b.size;
    case 'length-prefix':
      return b.mode === 'length-prefix' && a.prefixBytes === b.prefixBytes && a.maxMessageBytes === b.maxMessageBytes;
  }
}
