// Which read (or reply) each byte of a segment's payload belongs to. A segment's relative sequence
// number counts the SYN as one, so its first payload byte sits at stream offset relativeSeq − 1: the
// same offsets the read and reply events carry.

export interface Chunk {
  offset: number;
  length: number;
}

export interface PayloadSpan<C extends Chunk = Chunk> {
  /** Byte positions within the payload, [start, end). */
  start: number;
  end: number;
  chunk: C;
  /** The chunk's position in the list given (0-based). */
  index: number;
}

/** Where the segment's payload starts in its direction's byte stream. */
export function streamOffsetOf(seg: { relativeSeq: number }): number {
  return seg.relativeSeq - 1;
}

/** The chunks that overlap the payload, clipped to it. `chunks` are in stream order (by offset). */
export function payloadSpans<C extends Chunk>(seg: { relativeSeq: number; payloadLength: number }, chunks: readonly C[]): PayloadSpan<C>[] {
  const from = streamOffsetOf(seg);
  const to = from + seg.payloadLength;
  if (seg.payloadLength === 0 || from < 0) return [];
  // The first chunk that ends after `from`.
  let lo = 0;
  let hi = chunks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = chunks[mid]!;
    if (c.offset + c.length <= from) lo = mid + 1;
    else hi = mid;
  }
  const spans: PayloadSpan<C>[] = [];
  for (let i = lo; i < chunks.length; i++) {
    const c = chunks[i]!;
    if (c.offset >= to) break;
    if (c.length === 0) continue;
    spans.push({ start: Math.max(c.offset, from) - from, end: Math.min(c.offset + c.length, to) - from, chunk: c, index: i });
  }
  return spans;
}

/** For each payload byte, the index into `spans` that covers it, or -1 (not read yet, or not known). */
export function spanOfEachByte(length: number, spans: readonly PayloadSpan[]): Int32Array {
  const out = new Int32Array(length).fill(-1);
  spans.forEach((s, k) => {
    for (let i = s.start; i < s.end && i < length; i++) out[i] = k;
  });
  return out;
}
