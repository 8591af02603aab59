// Small, pure statistics for the bench: medians and spreads over rounds, nearest-rank percentiles.

export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

/** Nearest-rank percentile (q in 0..1) of values sorted ascending; NaN for none. */
export function percentileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function percentile(values: readonly number[], q: number): number {
  return percentileSorted([...values].sort((a, b) => a - b), q);
}

/** The median (mean of the middle two for an even count), with the extremes as the spread. */
export function summarize(values: readonly number[]): Summary {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  const s = [...finite].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? s[mid]! : s[mid - 1]! / 2 + s[mid]! / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, n: s.length };
}

/** Element-wise a[i] ÷ b[i]: ratios taken round by round, so each compares runs made side by side. */
export function pairedRatios(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.min(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(a[i]! / b[i]!);
  return out;
}

/** The order servers run in round `round`: rotated each round, so no server always goes first. */
export function rotate<T>(items: readonly T[], round: number): T[] {
  const k = items.length === 0 ? 0 : round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}
