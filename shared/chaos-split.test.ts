import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chaosSplit, createSplitter, mulberry32, type Split, SplitSchema } from './chaos-split.ts';

const splitArb: fc.Arbitrary<Split> = fc.oneof(
  fc.constant({ mode: 'none' as const }),
  fc.record({ mode: fc.constant('fixed' as const), size: fc.integer({ min: 1, max: 40 }) }),
  fc
    .record({ mode: fc.constant('random' as const), seed: fc.nat(), a: fc.integer({ min: 1, max: 20 }), b: fc.integer({ min: 1, max: 20 }) })
    .map(({ seed, a, b }) => ({ mode: 'random' as const, seed, minBytes: Math.min(a, b), maxBytes: Math.max(a, b) })),
);

const join = (pieces: Uint8Array[]) => pieces.flatMap((p) => Array.from(p));

describe('chaosSplit', () => {
  it('concatenates back to the input, in non-empty pieces within the bounds', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), splitArb, (bytes, split) => {
        const pieces = chaosSplit(bytes, split);
        expect(join(pieces)).toEqual(Array.from(bytes));
        for (const [i, p] of pieces.entries()) {
          expect(p.length).toBeGreaterThan(0);
          const last = i === pieces.length - 1;
          if (split.mode === 'fixed') expect(last ? p.length <= split.size : p.length === split.size).toBe(true);
          if (split.mode === 'random') {
            expect(p.length).toBeLessThanOrEqual(split.maxBytes);
            if (!last) expect(p.length).toBeGreaterThanOrEqual(split.minBytes);
          }
        }
      }),
    );
  });

  it('cuts the same way for the same seed, across a whole burst', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 60 }), { maxLength: 8 }), splitArb, (messages, split) => {
        const one = createSplitter(split);
        const two = createSplitter(split);
        const sizes = (s: (b: Uint8Array) => Uint8Array[]) => messages.map((m) => s(m).map((p) => p.length));
        expect(sizes(one)).toEqual(sizes(two));
      }),
    );
  });

  it('cuts differently for different seeds (a check that the seed is used at all)', () => {
    const bytes = new Uint8Array(500);
    const sizes = (seed: number) => chaosSplit(bytes, { mode: 'random', seed, minBytes: 1, maxBytes: 16 }).map((p) => p.length);
    expect(sizes(1)).not.toEqual(sizes(2));
  });

  it('draws uniformly enough from [0, 1)', () => {
    const next = mulberry32(42);
    let min = 1;
    let max = 0;
    for (let i = 0; i < 10000; i++) {
      const x = next();
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(min).toBeLessThan(0.01);
    expect(max).toBeLessThan(1);
    expect(max).toBeGreaterThan(0.99);
  });

  it("gives no pieces for an empty message, and the tutorial's 7 bytes as one piece unsplit", () => {
    expect(chaosSplit(new Uint8Array(0), { mode: 'fixed', size: 3 })).toEqual([]);
    expect(chaosSplit(new Uint8Array(7), { mode: 'none' }).map((p) => p.length)).toEqual([7]);
  });

  it('validates the split settings', () => {
    expect(SplitSchema.parse({ mode: 'random', seed: 7 })).toEqual({ mode: 'random', seed: 7, minBytes: 1, maxBytes: 16 });
    expect(SplitSchema.safeParse({ mode: 'random', seed: 7, minBytes: 9, maxBytes: 3 }).success).toBe(false);
    expect(SplitSchema.safeParse({ mode: 'fixed', size: 0 }).success).toBe(false);
    expect(SplitSchema.safeParse({ mode: 'none', extra: 1 }).success).toBe(false);
  });
});
