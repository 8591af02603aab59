import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BACKOFF_FIRST_MS, BACKOFF_MAX_MS, backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  it('starts near the first delay and doubles', () => {
    expect(backoffDelay(0, () => 0.5)).toBe(BACKOFF_FIRST_MS);
    expect(backoffDelay(1, () => 0.5)).toBe(BACKOFF_FIRST_MS * 2);
    expect(backoffDelay(2, () => 0.5)).toBe(BACKOFF_FIRST_MS * 4);
  });

  it('stays within ±25% of a capped base for any attempt', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const d = backoffDelay(attempt, () => r);
        return d >= BACKOFF_FIRST_MS * 0.75 - 1 && d <= BACKOFF_MAX_MS * 1.25 + 1;
      }),
    );
  });
});
