// The burst rate limiter: never more than its rate, plus one minute's worth held up front.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateBucket } from './rate-bucket.ts';

describe('RateBucket', () => {
  it('grants a full minute at once, then one every 60000/rate ms, and says how long to wait', () => {
    const b = new RateBucket(60, 0);
    for (let i = 0; i < 60; i++) expect(b.take(0)).toBe(0);
    expect(b.take(0)).toBe(1000);
    expect(b.take(500)).toBe(500);
    expect(b.take(1000)).toBe(0);
    expect(b.take(1000)).toBe(1000);
  });

  it('never grants more than rate + elapsed × rate / 60000 (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 500 }),
        (rate, gaps) => {
          const b = new RateBucket(rate, 0);
          let now = 0;
          let granted = 0;
          for (const gap of gaps) {
            now += gap;
            const wait = b.take(now);
            if (wait === 0) granted++;
            else expect(wait).toBeGreaterThan(0);
          }
          expect(granted).toBeLessThanOrEqual(rate + Math.floor((now * rate) / 60_000) + 1);
        },
      ),
    );
  });

  it('grants again after exactly the wait it named (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 0, max: 100_000 }), (rate, start) => {
        const b = new RateBucket(rate, start);
        let wait = 0;
        for (let i = 0; i <= rate && wait === 0; i++) wait = b.take(start);
        expect(wait).toBeGreaterThan(0);
        expect(b.take(start + wait)).toBe(0);
      }),
    );
  });
});
