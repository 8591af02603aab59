// Geometry of the byte ribbon: the client → server stream as one strip, cut once by the writes
// that put bytes in and once by the reads that took them out. Pure, so that what "3 writes became
// 1 read" looks like is decided by tested code, not by the component.
import type { ChunkEvent } from '../../shared/events.ts';
import { eventBytes } from '../format/event-bytes.ts';

export interface Span {
  /** 1-based among the spans of its side that the page holds. */
  n: number;
  offset: number;
  length: number;
  event: ChunkEvent;
}

/** Bytes of one side that the page holds no event for: summarised under load (by the server or the live stream), or gone from the store. */
export interface Gap {
  offset: number;
  length: number;
}

export interface Ribbon {
  /** First and one-past-last stream offset that any span (or, with totals, any counted byte) covers. */
  start: number;
  end: number;
  writes: Span[];
  reads: Span[];
  writeGaps: Gap[];
  readGaps: Gap[];
}

/** The connection's exact byte counters: the ribbon reaches to them, drawing what it does not hold as gaps. */
export interface RibbonTotals {
  written: number;
  read: number;
}

export function buildRibbon(writes: readonly ChunkEvent[], reads: readonly ChunkEvent[], totals?: RibbonTotals): Ribbon {
  const toSpans = (events: readonly ChunkEvent[]): Span[] =>
    events
      .filter((e) => e.length > 0)
      .map((event, i) => ({ n: i + 1, offset: event.offset, length: event.length, event }));
  const w = toSpans(writes);
  const r = toSpans(reads);
  let start = Infinity;
  let end = 0;
  for (const s of [w[0], r[0]]) if (s) start = Math.min(start, s.offset);
  for (const s of [w.at(-1), r.at(-1)]) if (s) end = Math.max(end, s.offset + s.length);
  if (start === Infinity) start = 0;
  if (totals !== undefined) end = Math.max(end, totals.written, totals.read);
  return {
    start,
    end,
    writes: w,
    reads: r,
    writeGaps: gapsOf(w, start, totals?.written ?? 0),
    readGaps: gapsOf(r, start, totals?.read ?? 0),
  };
}

/** The stretches of [start, total) that no span covers. */
export function gapsOf(spans: readonly Span[], start: number, total: number): Gap[] {
  const gaps: Gap[] = [];
  let at = start;
  for (const s of spans) {
    if (s.offset > at) gaps.push({ offset: at, length: s.offset - at });
    at = Math.max(at, s.offset + s.length);
  }
  if (total > at) gaps.push({ offset: at, length: total - at });
  return gaps;
}

/** Gaps as drawn: one element for a run of gaps less than a pixel apart, with what it stands for. */
export interface DrawnGap {
  /** First byte of the first gap, one past the last byte of the last. */
  offset: number;
  end: number;
  /** Bytes not held in all (the spans between merged gaps are held, and not counted). */
  bytes: number;
  /** Gaps merged into this element. */
  count: number;
  x: number;
  w: number;
}

/**
 * The gaps that show between pixels `pxFrom` and `pxTo`, at least 2 px wide each. Under a summarised
 * stream a zoomed-out ribbon holds thousands of gaps in a few hundred pixels: those less than a pixel
 * apart become one element, so the element count stays bounded by the screen width (one element per
 * gap cost the page a long task per render under full-rate traffic).
 */
export function layoutGaps(gaps: readonly Gap[], start: number, ppb: number, pxFrom: number, pxTo: number): DrawnGap[] {
  const out: DrawnGap[] = [];
  let cur: DrawnGap | null = null;
  for (const gap of gaps) {
    const x = (gap.offset - start) * ppb;
    const w = Math.max(2, gap.length * ppb);
    if (x + w < pxFrom || x > pxTo) continue;
    if (cur !== null && x - (cur.x + cur.w) < 1) {
      cur.end = gap.offset + gap.length;
      cur.bytes += gap.length;
      cur.count++;
      cur.w = Math.max(cur.w, x + w - cur.x);
      continue;
    }
    cur = { offset: gap.offset, end: gap.offset + gap.length, bytes: gap.length, count: 1, x, w };
    out.push(cur);
  }
  return out;
}

/** Index of the first span that ends after `offset` (spans are sorted and do not overlap). */
export function firstSpanEndingAfter(spans: readonly Span[], offset: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const s = spans[mid]!;
    if (s.offset + s.length <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The spans of one side that share bytes with [offset, offset + length): "read 1 carries writes 1–3". */
export function overlapping(spans: readonly Span[], offset: number, length: number): Span[] {
  const out: Span[] = [];
  for (let i = firstSpanEndingAfter(spans, offset); i < spans.length && spans[i]!.offset < offset + length; i++) out.push(spans[i]!);
  return out;
}

/** The byte at a stream offset, from whichever event holds it; undefined where hex was cut short or a gap is. */
export function byteAt(ribbon: Ribbon, offset: number): number | undefined {
  for (const spans of [ribbon.reads, ribbon.writes]) {
    const s = spans[firstSpanEndingAfter(spans, offset)];
    if (s === undefined || s.offset > offset) continue;
    const b = eventBytes(s.event)[offset - s.offset];
    if (b !== undefined) return b;
  }
  return undefined;
}

/** What the summary counts: the connection's exact counters, and whose writes they are. */
export interface MappingCounts {
  writes: number;
  reads: number;
  external: boolean;
}

/**
 * One line that says what happened to the boundaries, e.g. "3 writes → 1 read". With `counts` the numbers
 * are the connection's exact counters, not the spans the page holds; only an outside client's writes are
 * invisible, so only an external connection says so.
 */
export function mappingSummary(r: Ribbon, counts?: MappingCounts): string {
  const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
  const writes = counts?.writes ?? r.writes.length;
  const reads = counts?.reads ?? r.reads.length;
  const external = counts?.external ?? r.writes.length === 0;
  if (writes === 0 && reads === 0) return 'no bytes yet';
  if (external) return `${plural(reads, 'read')} (writes of outside clients are not visible)`;
  return `${plural(writes, 'write')} → ${plural(reads, 'read')}`;
}

export type RibbonItem =
  | { type: 'span'; span: Span; x: number; w: number }
  /** Spans too narrow to draw one by one at this zoom, drawn as one block. */
  | { type: 'dense'; first: Span; count: number; bytes: number; x: number; w: number };

/**
 * What to draw of one side between pixels `pxFrom` and `pxTo`, at `ppb` pixels per byte with byte
 * `start` at pixel 0. Only visible spans are returned, and runs of spans narrower than `minPx` are
 * merged, so the number of elements is bounded by the width of the screen, not by the stream.
 */
export function layoutSpans(
  spans: readonly Span[],
  start: number,
  ppb: number,
  pxFrom: number,
  pxTo: number,
  minPx = 3,
): RibbonItem[] {
  const items: RibbonItem[] = [];
  let dense: Extract<RibbonItem, { type: 'dense' }> | null = null;
  for (let i = firstSpanEndingAfter(spans, start + pxFrom / ppb); i < spans.length; i++) {
    const span = spans[i]!;
    const x = (span.offset - start) * ppb;
    if (x >= pxTo) break;
    const w = span.length * ppb;
    if (w >= minPx) {
      if (dense) items.push(dense), (dense = null);
      items.push({ type: 'span', span, x, w });
      continue;
    }
    if (dense && x - (dense.x + dense.w) < 1) {
      dense.count++;
      dense.bytes += span.length;
      dense.w = x + w - dense.x;
    } else {
      if (dense) items.push(dense);
      dense = { type: 'dense', first: span, count: 1, bytes: span.length, x, w };
    }
    if (dense.w >= minPx * 4) items.push(dense), (dense = null);
  }
  if (dense) items.push(dense);
  return items;
}
