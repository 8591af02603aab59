// A token bucket: at most `perMinute` takes in any minute on average, with a full minute's worth
// available at once. One for the whole server, not one per client: what it protects is the echo
// server's load, and every browser tab on this machine is the same address anyway. O(1), no timers.

export class RateBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perMinute: number,
    now: number,
  ) {
    this.tokens = perMinute;
    this.last = now;
  }

  /** Takes one token at time `now` (ms, monotonic): 0 if granted, else how many ms until one is there. */
  take(now: number): number {
    const perMs = this.perMinute / 60_000;
    if (now > this.last) {
      this.tokens = Math.min(this.perMinute, this.tokens + (now - this.last) * perMs);
      this.last = now;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / perMs));
  }
}
