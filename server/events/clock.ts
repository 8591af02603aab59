/** Wall-clock milliseconds with sub-millisecond resolution, monotonic within the process. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
