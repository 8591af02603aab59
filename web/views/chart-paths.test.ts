import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ChartPoint } from './chart-data.ts';
import { linearPath, nearestPoint, niceTop, stepPath } from './chart-paths.ts';

/** Identity x, and y flipped as on screen (100 px tall, one pixel per byte). */
const x = (v: number) => v;
const y = (v: number) => 100 - v;

function point(at: number, span: number, write: number | null, read: number | null, written: number, readTotal: number, sumRead: number | null = null): ChartPoint {
  return {
    x: at,
    xEnd: at + span - 1,
    t: null,
    write,
    read,
    writes: write === null ? 0 : 1,
    reads: read === null ? 0 : 1,
    writeBytes: write ?? 0,
    readBytes: read ?? 0,
    summarised: sumRead !== null,
    sumWrite: null,
    sumRead,
    written,
    readTotal,
  };
}

describe('chart paths', () => {
  it('draws a step per call, skipping the points without a value when nulls are connected', () => {
    // Three writes of 7, then one read of 21: the tutorial's burst.
    const pts = [point(1, 1, 7, null, 7, 0), point(2, 1, 7, null, 14, 0), point(3, 1, 7, null, 21, 0), point(4, 1, null, 21, 21, 21)];
    expect(stepPath(pts, 'write', x, y, true)).toBe('M1,93H2V93H3V93');
    expect(stepPath(pts, 'read', x, y, true)).toBe('M4,79');
  });

  it('breaks a line at a gap when nulls are not connected, and holds a bin across its calls', () => {
    const pts = [point(1, 10, null, null, 0, 70, 7), point(11, 1, null, 21, 0, 91), point(12, 5, null, null, 0, 126, 7)];
    expect(stepPath(pts, 'sumRead', x, y, false)).toBe('M1,93H10M12,93H16');
    expect(stepPath(pts, 'sumRead', x, y, true)).toBe('M1,93H10H12V93H16');
  });

  it('runs the totals from nothing at the first call to each point’s total at its last', () => {
    const pts = [point(1, 10, null, null, 0, 70, 7), point(11, 1, null, 21, 0, 91)];
    expect(linearPath(pts, 'readTotal', x, y)).toBe('M1,100L10,30L11,9');
    expect(linearPath([], 'readTotal', x, y)).toBe('');
  });

  it('puts each axis top on a round step above the largest value', () => {
    expect(niceTop(1126)).toBe(1200);
    expect(niceTop(21)).toBe(24);
    expect(niceTop(12_300_000)).toBe(16_000_000);
    expect(niceTop(0)).toBe(4);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }), (max) => {
        const top = niceTop(max);
        const step = top / 4;
        expect(top).toBeGreaterThanOrEqual(max);
        expect(Number.isInteger(step)).toBe(true);
        // Never more than twice the room needed (a step at most 2× the smallest that would do).
        expect(top).toBeLessThan(Math.max(8, max * 2 + 8));
      }),
    );
  });

  it('finds the point nearest a pixel', () => {
    const pts = [point(1, 1, 7, null, 7, 0), point(5, 1, 7, null, 14, 0), point(9, 1, null, 14, 14, 14)];
    expect([0, 2, 3.9, 5, 6.9, 7.1, 100].map((px) => nearestPoint(pts, x, px))).toEqual([0, 0, 1, 1, 1, 2, 2]);
    expect(nearestPoint([], x, 3)).toBe(-1);
  });
});
