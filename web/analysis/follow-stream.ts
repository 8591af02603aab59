// Follow stream, as Wireshark's: the connection's bytes in both directions, in the order they happened,
// each piece one read of the server (client → server) or one reply (server → client), with the client's
// write boundaries marked inside the reads. Pure: built from a ConnWire.
import type { ChunkEvent } from '../../shared/events.ts';
import { eventBytes } from '../format/event-bytes.ts';
import type { ConnWire } from '../wire/wire-data.ts';

export interface StreamPart {
  bytes: Uint8Array;
  /** A client write ends right before this part (it starts at a write boundary inside the read). */
  writeCutBefore: boolean;
}

export interface StreamPiece {
  dir: 'c2s' | 's2c';
  chunk: ChunkEvent;
  /** The piece's bytes split at the client's write boundaries. */
  parts: StreamPart[];
  /** Bytes of the chunk the page does not hold (its hex was truncated). */
  missing: number;
}

/** Offsets (in the client's stream) where one write ends and the next begins. */
function writeEnds(writes: readonly ChunkEvent[]): Set<number> {
  const ends = new Set<number>();
  for (const w of writes) ends.add(w.offset + w.length);
  return ends;
}

/** Splits `bytes`, which start at stream offset `offset`, at every cut strictly inside them. */
export function splitAt(bytes: Uint8Array, offset: number, cuts: ReadonlySet<number>): StreamPart[] {
  const parts: StreamPart[] = [];
  let start = 0;
  for (let i = 1; i < bytes.length; i++) {
    if (cuts.has(offset + i)) {
      parts.push({ bytes: bytes.subarray(start, i), writeCutBefore: start > 0 });
      start = i;
    }
  }
  parts.push({ bytes: bytes.subarray(start), writeCutBefore: start > 0 });
  return parts;
}

export function followStream(wire: Pick<ConnWire, 'reads' | 'replies' | 'writes'>): StreamPiece[] {
  const ends = writeEnds(wire.writes);
  const pieces: StreamPiece[] = [];
  for (const r of wire.reads) {
    const bytes = eventBytes(r);
    pieces.push({ dir: 'c2s', chunk: r, parts: splitAt(bytes, r.offset, ends), missing: r.length - bytes.length });
  }
  for (const r of wire.replies) {
    const bytes = eventBytes(r);
    pieces.push({ dir: 's2c', chunk: r, parts: [{ bytes, writeCutBefore: false }], missing: r.length - bytes.length });
  }
  // The store's seq is the order things happened in.
  return pieces.sort((a, b) => a.chunk.seq - b.chunk.seq);
}

/** Totals of one direction, for the follow view's legend and the comparison. */
export function streamTotals(pieces: readonly StreamPiece[]): { c2sBytes: number; s2cBytes: number; reads: number; replies: number } {
  let c2sBytes = 0;
  let s2cBytes = 0;
  let reads = 0;
  let replies = 0;
  for (const p of pieces) {
    if (p.dir === 'c2s') {
      c2sBytes += p.chunk.length;
      reads++;
    } else {
      s2cBytes += p.chunk.length;
      replies++;
    }
  }
  return { c2sBytes, s2cBytes, reads, replies };
}
