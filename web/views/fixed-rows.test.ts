import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { visibleRange } from './fixed-rows.ts';

describe('fixed-height rows on screen', () => {
  it('covers every row that shows any pixel in the viewport, within the list, with the overscan and no more', () => {
    fc.assert(
      fc.property(fc.nat(30_000), fc.integer({ min: 1, max: 60 }), fc.nat(2_000_000), fc.nat(3000), fc.nat(20), (count, rowHeight, rawTop, height, overscan) => {
        const top = Math.min(rawTop, Math.max(0, count * rowHeight - height));
        const [first, last] = visibleRange(count, rowHeight, top, height, overscan);
        if (count === 0) return expect(last).toBeLessThan(first);
        expect(first).toBeGreaterThanOrEqual(0);
        expect(last).toBeLessThan(count);
        for (let i = Math.floor(top / rowHeight); i * rowHeight < top + height && i < count; i++) {
          expect(i).toBeGreaterThanOrEqual(first);
          expect(i).toBeLessThanOrEqual(last);
        }
        // Bounded by the viewport: what one view renders does not grow with the rows held.
        expect(last - first + 1).toBeLessThanOrEqual(Math.ceil(height / rowHeight) + 2 * overscan + 2);
      }),
    );
  });
});
