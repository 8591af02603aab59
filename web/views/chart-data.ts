// The points of the reads-against-writes chart. One point per event while they fit; past
// `maxPoints`, consecutive events share a point (largest size, true counts and byte sums), so the
// chart stays fast on any connection and no total is ever an estimate.
import type { ChunkEvent } from '../../shared/events.ts';

export const CHART_MAX_POINTS = 2_000;

export interface ChartPoint {
  /** 1-based position of the point's first event among the connection's writes and reads, in order. */
  x: number;
  /** Position of its last event (equal to `x` when not decimated). */
  xEnd: number;
  /** Time of the first event, ms since the epoch. */
  t: number;
  /** Largest write / read in the point, or null when it has none (so that no bar is drawn). */
  write: number | null;
  read: number | null;
  writes: number;
  reads: number;
  writeBytes: number;
  readBytes: number;
  /** Bytes written / read on the connection by the end of the point. From stream offsets, so exact
   *  even when the server summarised some events instead of sending them. */
  written: number;
  readTotal: number;
}

export interface ChartSeries {
  points: ChartPoint[];
  /** Events behind the points. */
  events: number;
  /** How many events share one point (1: none). */
  perPoint: number;
  /** Largest single write or read: where the buffer line is worth drawing. */
  maxSize: number;
}

export function chartSeries(
  writes: readonly ChunkEvent[],
  reads: readonly ChunkEvent[],
  maxPoints = CHART_MAX_POINTS,
): ChartSeries {
  const total = writes.length + reads.length;
  const perPoint = Math.max(1, Math.ceil(total / maxPoints));
  const points: ChartPoint[] = [];
  let wi = 0;
  let ri = 0;
  let written = 0;
  let readTotal = 0;
  let maxSize = 0;
  let cur: ChartPoint | null = null;

  for (let n = 1; n <= total; n++) {
    // Merge the two lists by seq: the order in which things happened on the wire.
    const takeWrite = ri >= reads.length || (wi < writes.length && writes[wi]!.seq < reads[ri]!.seq);
    const e = takeWrite ? writes[wi++]! : reads[ri++]!;
    if (cur === null) {
      cur = { x: n, xEnd: n, t: e.t, write: null, read: null, writes: 0, reads: 0, writeBytes: 0, readBytes: 0, written, readTotal };
    }
    cur.xEnd = n;
    if (takeWrite) {
      cur.writes++;
      cur.writeBytes += e.length;
      cur.write = Math.max(cur.write ?? 0, e.length);
      written = Math.max(written, e.offset + e.length);
    } else {
      cur.reads++;
      cur.readBytes += e.length;
      cur.read = Math.max(cur.read ?? 0, e.length);
      readTotal = Math.max(readTotal, e.offset + e.length);
    }
    maxSize = Math.max(maxSize, e.length);
    cur.written = written;
    cur.readTotal = readTotal;
    if (cur.xEnd - cur.x + 1 === perPoint) {
      points.push(cur);
      cur = null;
    }
  }
  if (cur !== null) points.push(cur);
  return { points, events: total, perPoint, maxSize };
}
