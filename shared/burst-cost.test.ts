// The cost counted from lengths alone is exactly what the built-in client makes: the same frames, cut by
// the same splitter, while under the ceiling; and counting stops just past the ceiling.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { burstCost } from './burst-cost.ts';
import { createSplitter, type Split } from './chaos-split.ts';
import type { Framing } from './config.ts';
import { encodeMessage } from './framing-encode.ts';

const utf8 = new TextEncoder();

function actual(count: number, payload: string, split: Split, framing: Framing): { writes: number; bytes: number } {
  const cut = createSplitter(split);
  let writes = 0;
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const frame = encodeMessage(utf8.encode(payload.replaceAll('{n}', String(i + 1))), framing);
    bytes += frame.length;
    writes += frame.length === 0 ? 1 : cut(frame).length;
  }
  return { writes, bytes };
}

const split: fc.Arbitrary<Split> = fc.oneof(
  fc.constant<Split>({ mode: 'none' }),
  fc.integer({ min: 1, max: 40 }).map((size): Split => ({ mode: 'fixed', size })),
  fc
    .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 8 }))
    .map(([seed, minBytes, extra]): Split => ({ mode: 'random', seed, minBytes, maxBytes: minBytes + extra })),
);
const framing: fc.Arbitrary<Framing> = fc.oneof(
  fc.constant<Framing>({ mode: 'raw' }),
  fc.constant<Framing>({ mode: 'delimiter', delimiter: '\r\n', maxMessageBytes: 65536 }),
  fc.integer({ min: 1, max: 30 }).map((size): Framing => ({ mode: 'fixed', size })),
  fc.constantFrom(1, 2, 4).map((prefixBytes): Framing => ({ mode: 'length-prefix', prefixBytes: prefixBytes as 1 | 2 | 4, maxMessageBytes: 65536 })),
);

describe('burstCost', () => {
  it('equals the writes and bytes the client makes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.string({ maxLength: 40 }), split, framing, (count, payload, s, f) => {
        expect(burstCost({ count, payload, split: s }, f, 1_000_000)).toEqual(actual(count, payload, s, f));
      }),
    );
  });

  it('stops counting writes just past the ceiling, and still sums every byte', () => {
    const cost = burstCost({ count: 1000, payload: 'x'.repeat(65536), split: { mode: 'fixed', size: 1 } }, { mode: 'raw' }, 100_000);
    expect(cost.writes).toBeGreaterThan(100_000);
    expect(cost.writes).toBeLessThanOrEqual(100_000 + 65536);
    expect(cost.bytes).toBe(65_536_000);
    const random = burstCost({ count: 1000, payload: 'x'.repeat(65536), split: { mode: 'random', seed: 1, minBytes: 1, maxBytes: 1 } }, { mode: 'raw' }, 10);
    expect(random.writes).toBe(11);
  });
});
