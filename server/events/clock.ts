// The events' clock, read on every read: `performance` is imported rather than taken from the global, whose
// accessor (a lazy getter) costs a call of its own each time; `timeOrigin` is a getter into the runtime: read once.
import { performance } from 'node:perf_hooks';

const ORIGIN_MS = performance.timeOrigin;

/** Wall-clock milliseconds with sub-millisecond resolution, monotonic within the process. */
export function nowMs(): number {
  return ORIGIN_MS + performance.now();
}
