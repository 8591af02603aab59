// The points of the reads-against-writes chart. One point per event while they fit; past
// `maxPoints`, consecutive events share a point (largest size, true counts and byte sums), so the
// chart stays fast on any connection and no total is ever an estimate.
import type { ChunkEvent } from '../../shared/events.ts';
import type { Summary } from '../stream/event-state.ts';

export const CHART_MAX_POINTS = 2_000;

/** A connection's exact counters (from the server), which the chart's totals must end on. */
export interface ChartCounters {
  writes: number;
  bytesWritten: number;
  reads: number;
  bytesRead: number;
}

export interface ChartPoint {
  /** 1-based position of the point's first event among the connection's writes and reads, in order. */
  x: number;
  /** Position of its last event (equal to `x` when not decimated). */
  xEnd: number;
  /** Time of the first event, ms since the epoch; null for a summary, whose events the page never saw. */
  t: number | null;
  /** Largest write / read in the point, or null when it has none (so that no bar is drawn). */
  write: number | null;
  read: number | null;
  writes: number;
  reads: number;
  writeBytes: number;
  readBytes: number;
  /**
   * True for a point standing for calls the live stream counted but did not send (or that left the
   * store): its counts and bytes are exact, its sizes are the mean call size (`sumWrite`, `sumRead`).
   */
  summarised: boolean;
  sumWrite: number | null;
  sumRead: number | null;
  /** Bytes written / read on the connection by the end of the point: exact, summaries included. */
  written: number;
  readTotal: number;
}

export interface ChartSeries {
  points: ChartPoint[];
  /** Events behind the points, in detail. */
  events: number;
  /** Calls behind the summarised points. */
  summarisedCalls: number;
  /** How many events share one point (1: none). */
  perPoint: number;
  /** Largest single write or read (mean size for summaries): where the buffer line is worth drawing. */
  maxSize: number;
}

/**
 * `summaries` (in seq order, see web/stream/event-state.ts) are drawn where they happened; whatever the
 * `counters` hold beyond the events and summaries (events that left the store before the page saw them)
 * is drawn first, in one bin with the summaries that came before the first event held: together they are
 * exactly what happened before it, so no point draws a read without the writes it read. So the totals end
 * on the counters, exactly, however much was left out.
 *
 * `counters` must be the ones these events and summaries were filed against (`ConnStream.counters`):
 * fresher ones hold calls newer than the last event, which this would draw first.
 */
export function chartSeries(
  writes: readonly ChunkEvent[],
  reads: readonly ChunkEvent[],
  maxPoints = CHART_MAX_POINTS,
  summaries: readonly Summary[] = [],
  counters?: ChartCounters,
): ChartSeries {
  const total = writes.length + reads.length;
  const perPoint = Math.max(1, Math.ceil(total / maxPoints));
  const points: ChartPoint[] = [];
  let wi = 0;
  let ri = 0;
  let si = 0;
  let written = 0;
  let readTotal = 0;
  let maxSize = 0;
  let summarisedCalls = 0;
  let cur: ChartPoint | null = null;
  let n = 1;

  const pushSummary = (m: Omit<Summary, 'afterSeq' | 'toSeq'>) => {
    const calls = m.writes + m.reads;
    if (calls === 0 && m.writeBytes + m.readBytes === 0) return;
    if (cur !== null) points.push(cur), (cur = null);
    written += m.writeBytes;
    readTotal += m.readBytes;
    const sumWrite = m.writes > 0 ? Math.round(m.writeBytes / m.writes) : null;
    const sumRead = m.reads > 0 ? Math.round(m.readBytes / m.reads) : null;
    maxSize = Math.max(maxSize, sumWrite ?? 0, sumRead ?? 0);
    summarisedCalls += calls;
    const x = n;
    n += Math.max(1, calls);
    points.push({
      x,
      xEnd: n - 1,
      t: null,
      write: null,
      read: null,
      writes: m.writes,
      reads: m.reads,
      writeBytes: m.writeBytes,
      readBytes: m.readBytes,
      summarised: true,
      sumWrite,
      sumRead,
      written,
      readTotal,
    });
  };

  // Everything before the first event held, as one bin: what left the store, and the summaries before it.
  const firstSeq = Math.min(writes[0]?.seq ?? Infinity, reads[0]?.seq ?? Infinity);
  const head = { writes: 0, writeBytes: 0, reads: 0, readBytes: 0 };
  if (counters !== undefined) {
    // What the counters hold beyond everything here came first: it left the store before the page saw it.
    const held = { writes: writes.length, writeBytes: 0, reads: reads.length, readBytes: 0 };
    for (const e of writes) held.writeBytes += e.length;
    for (const e of reads) held.readBytes += e.length;
    for (const m of summaries) addTo(held, m);
    head.writes = Math.max(0, counters.writes - held.writes);
    head.writeBytes = Math.max(0, counters.bytesWritten - held.writeBytes);
    head.reads = Math.max(0, counters.reads - held.reads);
    head.readBytes = Math.max(0, counters.bytesRead - held.readBytes);
  }
  while (si < summaries.length && summaries[si]!.afterSeq < firstSeq) addTo(head, summaries[si++]!);
  pushSummary(head);

  for (let k = 0; k < total; k++) {
    // Merge the two lists by seq: the order in which things happened on the wire.
    const takeWrite = ri >= reads.length || (wi < writes.length && writes[wi]!.seq < reads[ri]!.seq);
    const e = takeWrite ? writes[wi] : reads[ri];
    while (si < summaries.length && summaries[si]!.afterSeq < e!.seq) pushSummary(summaries[si++]!);
    if (takeWrite) wi++;
    else ri++;
    const ev = e!;
    if (cur === null) {
      cur = {
        x: n,
        xEnd: n,
        t: ev.t,
        write: null,
        read: null,
        writes: 0,
        reads: 0,
        writeBytes: 0,
        readBytes: 0,
        summarised: false,
        sumWrite: null,
        sumRead: null,
        written,
        readTotal,
      };
    }
    cur.xEnd = n++;
    // Offsets are exact too: a gap that no summary explains (a page that missed a batch) still counts.
    if (takeWrite) {
      cur.writes++;
      cur.writeBytes += ev.length;
      cur.write = Math.max(cur.write ?? 0, ev.length);
      written = Math.max(written + ev.length, ev.offset + ev.length);
    } else {
      cur.reads++;
      cur.readBytes += ev.length;
      cur.read = Math.max(cur.read ?? 0, ev.length);
      readTotal = Math.max(readTotal + ev.length, ev.offset + ev.length);
    }
    maxSize = Math.max(maxSize, ev.length);
    cur.written = written;
    cur.readTotal = readTotal;
    if (cur.xEnd - cur.x + 1 === perPoint) {
      points.push(cur);
      cur = null;
    }
  }
  if (cur !== null) points.push(cur), (cur = null);
  while (si < summaries.length) pushSummary(summaries[si++]!);
  return { points: capPoints(points, maxPoints), events: total, summarisedCalls, perPoint, maxSize };
}

/**
 * Summaries come between the events (one per live batch under a flood), so the points can outnumber
 * `maxPoints`: then neighbours share a point, as events do. A shared point keeps exact counts and bytes,
 * the largest call sent in detail and the mean size of the summarised ones; it is `summarised` when any
 * part of it is.
 */
function capPoints(points: ChartPoint[], maxPoints: number): ChartPoint[] {
  if (points.length <= maxPoints) return points;
  const per = Math.ceil(points.length / maxPoints);
  const out: ChartPoint[] = [];
  for (let i = 0; i < points.length; i += per) {
    const first = points[i]!;
    const last = points[Math.min(points.length, i + per) - 1]!;
    const p: ChartPoint = { ...first, xEnd: last.xEnd, written: last.written, readTotal: last.readTotal, writes: 0, reads: 0, writeBytes: 0, readBytes: 0 };
    // Calls and bytes of the summarised parts, for their mean size.
    let sw = 0, swb = 0, sr = 0, srb = 0;
    for (let k = i; k < i + per && k < points.length; k++) {
      const q = points[k]!;
      p.writes += q.writes;
      p.reads += q.reads;
      p.writeBytes += q.writeBytes;
      p.readBytes += q.readBytes;
      p.t ??= q.t;
      if (q.write !== null) p.write = Math.max(p.write ?? 0, q.write);
      if (q.read !== null) p.read = Math.max(p.read ?? 0, q.read);
      if (q.summarised) {
        p.summarised = true;
        sw += q.writes, swb += q.writeBytes, sr += q.reads, srb += q.readBytes;
      }
    }
    p.sumWrite = sw > 0 ? Math.round(swb / sw) : null;
    p.sumRead = sr > 0 ? Math.round(srb / sr) : null;
    out.push(p);
  }
  return out;
}

function addTo(into: Omit<Summary, 'afterSeq' | 'toSeq'>, m: Omit<Summary, 'afterSeq' | 'toSeq'>): void {
  into.writes += m.writes;
  into.writeBytes += m.writeBytes;
  into.reads += m.reads;
  into.readBytes += m.readBytes;
}
