// Whole kept bytes per second, counted per tenth of a second: past the budget, within the same tenth, a
// chunk keeps only its first EVENT_THIN_HEX_BYTES. Counts and lengths never thin, only the bytes kept. The
// recorder has one for chunk events (EVENT_KEPT_BYTES_PER_SEC), the capture one for segment events
// (SEGMENT_KEPT_BYTES_PER_SEC).
import { EVENT_THIN_HEX_BYTES } from '../../shared/limits.ts';

/** The budget is counted per window of this many ms (the per-second budget spread evenly). */
const WINDOW_MS = 100;

export class KeptBytesBudget {
  private windowStart = -Infinity;
  private keptInWindow = 0;
  private readonly windowBytes: number;

  constructor(bytesPerSec: number) {
    this.windowBytes = (bytesPerSec * WINDOW_MS) / 1000;
  }

  /** How many of the `wanted` bytes (already within EVENT_HEX_MAX_BYTES) to keep of a chunk at `t` (ms). */
  keep(t: number, wanted: number): number {
    if (t - this.windowStart >= WINDOW_MS) {
      this.windowStart = t;
      this.keptInWindow = 0;
    }
    const keep = this.keptInWindow >= this.windowBytes && wanted > EVENT_THIN_HEX_BYTES ? EVENT_THIN_HEX_BYTES : wanted;
    this.keptInWindow += keep;
    return keep;
  }
}
