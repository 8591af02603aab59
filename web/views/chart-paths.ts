// SVG paths for the chart's lines, built in one pass over the points. Past a few dozen calls the chart
// draws lines, and recharts' own <Line> costs a synchronous pass through its store per series on every
// redraw; the axes stay recharts', the lines are one string each.
import type { ChartPoint } from './chart-data.ts';

export type Scale = (value: number) => number | undefined;

type SizeKey = 'write' | 'read' | 'sumWrite' | 'sumRead';
type TotalKey = 'written' | 'readTotal';

/**
 * A step line: each point's value holds across the calls it stands for and until the next point (as
 * recharts' `stepAfter`), so a bin of many calls is as wide as they are. Points without a value are
 * skipped when `connectNulls`, and break the line otherwise.
 */
export function stepPath(points: readonly ChartPoint[], key: SizeKey, x: Scale, y: Scale, connectNulls: boolean): string {
  let d = '';
  let open = false;
  for (const p of points) {
    const v = p[key];
    if (v === null) {
      if (!connectNulls) open = false;
      continue;
    }
    const px = x(p.x);
    const pxEnd = x(p.xEnd);
    const py = y(v);
    if (px === undefined || pxEnd === undefined || py === undefined) continue;
    d += open ? `H${round(px)}V${round(py)}` : `M${round(px)},${round(py)}`;
    if (pxEnd !== px) d += `H${round(pxEnd)}`;
    open = true;
  }
  return d;
}

/**
 * The running total, a straight line from nothing at the first call through each point's total at its
 * last call (the totals start at the connection's first byte: what left the store is the first point).
 */
export function linearPath(points: readonly ChartPoint[], key: TotalKey, x: Scale, y: Scale): string {
  const first = points[0];
  const x0 = first && x(first.x);
  const y0 = y(0);
  if (x0 === undefined || y0 === undefined) return '';
  let d = `M${round(x0)},${round(y0)}`;
  for (const p of points) {
    const px = x(p.xEnd);
    const py = y(p[key]);
    if (px !== undefined && py !== undefined) d += `L${round(px)},${round(py)}`;
  }
  return d;
}

/**
 * The top of an axis whose `ticks` intervals are round numbers (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k) and leave room
 * above `max`: a domain given to recharts is used as it is, so it must already be a nice one.
 */
export function niceTop(max: number, ticks = 4): number {
  if (!(max > 0)) return ticks;
  const raw = max / ticks;
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    const step = m * pow;
    // Whole numbers only: the axes count bytes.
    if (step >= raw && Number.isInteger(step)) return step * ticks;
  }
  return Math.ceil(raw) * ticks;
}

/**
 * The top of an axis that grows with a live stream: 1, 2 or 5 × 10^k, so that it moves a few times per
 * decade rather than at every redraw (each move lays the axis out again).
 */
export function growingTop(max: number): number {
  if (!(max > 1)) return 1;
  const pow = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * pow >= max) return m * pow;
  return 10 * pow;
}

/** The index of the point drawn nearest to pixel `px` (points in call order), or -1 when there are none. */
export function nearestPoint(points: readonly ChartPoint[], x: Scale, px: number): number {
  let lo = 0;
  let hi = points.length - 1;
  if (hi < 0) return -1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((x(points[mid]!.x) ?? 0) < px) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && px - (x(points[lo - 1]!.x) ?? 0) < (x(points[lo]!.x) ?? 0) - px) return lo - 1;
  return lo;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
