import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ChunkEvent } from '../../shared/events.ts';
import { chartSeries } from './chart-data.ts';

function chunk(seq: number, kind: 'write' | 'read', offset: number, length: number): ChunkEvent {
  return { seq, t: seq, connId: 1, kind, offset, length, hex: '', truncated: false };
}

describe('chartSeries', () => {
  it('shows three 7-byte writes and one 21-byte read as four points in order', () => {
    const writes = [chunk(1, 'write', 0, 7), chunk(2, 'write', 7, 7), chunk(3, 'write', 14, 7)];
    const reads = [chunk(4, 'read', 0, 21)];
    const s = chartSeries(writes, reads);
    expect(s.points.map((p) => [p.x, p.write, p.read, p.written, p.readTotal])).toEqual([
      [1, 7, null, 7, 0],
      [2, 7, null, 14, 0],
      [3, 7, null, 21, 0],
      [4, null, 21, 21, 21],
    ]);
    expect(s.maxSize).toBe(21);
    expect(s.perPoint).toBe(1);
  });

  it('interleaves by seq, not by list', () => {
    const s = chartSeries([chunk(1, 'write', 0, 21)], [chunk(2, 'read', 0, 7), chunk(3, 'read', 7, 7), chunk(4, 'read', 14, 7)]);
    expect(s.points.map((p) => p.read ?? -p.write!)).toEqual([-21, 7, 7, 7]);
  });

  it('takes cumulative bytes from stream offsets, so gaps do not shrink the totals', () => {
    const s = chartSeries([], [chunk(1, 'read', 0, 7), chunk(9, 'read', 700, 7)]);
    expect(s.points.at(-1)!.readTotal).toBe(707);
  });

  it('decimates to at most maxPoints while keeping exact counts, sums and the final totals', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 2000 })), { maxLength: 600 }),
        fc.integer({ min: 1, max: 50 }),
        (ops, maxPoints) => {
          const writes: ChunkEvent[] = [];
          const reads: ChunkEvent[] = [];
          let w = 0;
          let r = 0;
          ops.forEach(([isWrite, len], i) => {
            if (isWrite) writes.push(chunk(i, 'write', w, len)), (w += len);
            else reads.push(chunk(i, 'read', r, len)), (r += len);
          });
          const s = chartSeries(writes, reads, maxPoints);
          const sum = (f: (p: (typeof s.points)[number]) => number) => s.points.reduce((a, p) => a + f(p), 0);
          expect(s.points.length).toBeLessThanOrEqual(maxPoints);
          expect(sum((p) => p.writes)).toBe(writes.length);
          expect(sum((p) => p.reads)).toBe(reads.length);
          expect(sum((p) => p.writeBytes)).toBe(w);
          expect(sum((p) => p.readBytes)).toBe(r);
          if (ops.length > 0) expect([s.points.at(-1)!.written, s.points.at(-1)!.readTotal]).toEqual([w, r]);
          expect(s.points.at(-1)?.xEnd ?? 0).toBe(ops.length);
        },
      ),
    );
  });

  it('keeps 20,000 events within 2,000 points', () => {
    const reads = Array.from({ length: 20_000 }, (_, i) => chunk(i, 'read', i * 7, 7));
    const s = chartSeries([], reads);
    expect(s.points).toHaveLength(2_000);
    expect(s.perPoint).toBe(10);
    expect(s.points.at(-1)!.readTotal).toBe(140_000);
  });
});
