// Read once: `performance.timeOrigin` is a getter that calls into the runtime, and this runs per read.
const ORIGIN_MS = performance.timeOrigin;

/** Wall-clock milliseconds with sub-millisecond resolution, monotonic within the process. */
export function nowMs(): number {
  return ORIGIN_MS + performance.now();
}
