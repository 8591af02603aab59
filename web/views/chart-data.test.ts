import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ChunkEvent } from '../../shared/events.ts';
import { chartSeries } from './chart-data.ts';
import type { Summary } from '../stream/event-state.ts';

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

  it('keeps summaries between the events within maxPoints too, every count and byte exact', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 4, max: 80 }), (events, maxPoints) => {
        // A flood as the live stream sends it: a few events, then a summary of what it skipped, over and over.
        const reads: ChunkEvent[] = [];
        const summaries: Summary[] = [];
        let offset = 0;
        for (let i = 0; i < events; i++) {
          reads.push(chunk(3 * i + 1, 'read', offset, 100));
          offset += 100;
          summaries.push({ afterSeq: 3 * i + 1, toSeq: 3 * i + 2, writes: 0, writeBytes: 0, reads: 5, readBytes: 5 * 64 });
          offset += 5 * 64;
        }
        const s = chartSeries([], reads, maxPoints, summaries, { writes: 0, bytesWritten: 0, reads: events * 6, bytesRead: offset });
        expect(s.points.length).toBeLessThanOrEqual(maxPoints);
        expect(s.points.reduce((a, p) => a + p.reads, 0)).toBe(events * 6);
        expect(s.points.reduce((a, p) => a + p.readBytes, 0)).toBe(offset);
        expect(s.points.at(-1)!.readTotal).toBe(offset);
        expect(s.points.at(-1)!.xEnd).toBe(events * 6);
      }),
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

describe('chartSeries with summaries', () => {
  it('draws what the live stream summarised as an exact bin where it happened, and ends on the counters', () => {
    // 1,000 writes of 64 KiB: two in detail, 998 summarised; then two reads of 1024 in detail.
    const writes = [chunk(0, 'write', 0, 65536), chunk(1, 'write', 65536, 65536)];
    const reads = [chunk(1000, 'read', 0, 1024), chunk(1001, 'read', 1024, 1024)];
    const summaries = [{ afterSeq: 1, toSeq: 999, writes: 998, writeBytes: 998 * 65536, reads: 0, readBytes: 0 }];
    const s = chartSeries(writes, reads, 600, summaries, { writes: 1000, bytesWritten: 65_536_000, reads: 2, bytesRead: 2048 });
    expect(s.points.map((p) => [p.x, p.xEnd, p.summarised, p.written, p.readTotal])).toEqual([
      [1, 1, false, 65536, 0],
      [2, 2, false, 131072, 0],
      [3, 1000, true, 65_536_000, 0],
      [1001, 1001, false, 65_536_000, 1024],
      [1002, 1002, false, 65_536_000, 2048],
    ]);
    expect(s.points[2]!.sumWrite).toBe(65536);
    expect(s.summarisedCalls).toBe(998);
  });

  it('draws what left the store before the page saw it as one bin first', () => {
    const s = chartSeries([], [chunk(50, 'read', 700, 7)], 600, [], { writes: 0, bytesWritten: 0, reads: 101, bytesRead: 707 });
    expect(s.points[0]).toMatchObject({ summarised: true, reads: 100, readBytes: 700, readTotal: 700, x: 1, xEnd: 100 });
    expect(s.points[1]).toMatchObject({ summarised: false, x: 101, readTotal: 707 });
  });

  it('ends on the counters and never reads more than was written, whatever the stream left out', () => {
    fc.assert(
      fc.property(
        // A true history: writes and reads (a read takes at most what is written and unread), and for
        // each call whether the live stream detailed it, in batches of `batch` calls.
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 500 }), fc.boolean()), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 80 }),
        (ops, batchSize, maxPoints) => {
          const writes: ChunkEvent[] = [];
          const reads: ChunkEvent[] = [];
          const summaries: { afterSeq: number; toSeq: number; writes: number; writeBytes: number; reads: number; readBytes: number }[] = [];
          const counters = { writes: 0, bytesWritten: 0, reads: 0, bytesRead: 0 };
          let lastDetailed = -1;
          let pending = { writes: 0, writeBytes: 0, reads: 0, readBytes: 0 };
          ops.forEach(([isWrite, size, detailed], seq) => {
            const unread = counters.bytesWritten - counters.bytesRead;
            const write = isWrite || unread === 0;
            const length = write ? size : Math.min(size, unread);
            const e = chunk(seq, write ? 'write' : 'read', write ? counters.bytesWritten : counters.bytesRead, length);
            if (write) counters.writes++, (counters.bytesWritten += length);
            else counters.reads++, (counters.bytesRead += length);
            // A batch details its first events and counts the rest: once one is skipped, so is the rest of it.
            const inBatch = seq % batchSize;
            if (inBatch === 0) pending = { writes: 0, writeBytes: 0, reads: 0, readBytes: 0 };
            const skipping = pending.writes + pending.reads > 0 || !detailed;
            if (!skipping) {
              (write ? writes : reads).push(e);
              lastDetailed = seq;
            } else if (write) pending.writes++, (pending.writeBytes += length);
            else pending.reads++, (pending.readBytes += length);
            if (inBatch === batchSize - 1 || seq === ops.length - 1) {
              if (pending.writes + pending.reads > 0) summaries.push({ afterSeq: lastDetailed, toSeq: seq, ...pending });
            }
          });
          const s = chartSeries(writes, reads, maxPoints, summaries, counters);
          const last = s.points.at(-1)!;
          expect(last.written).toBe(counters.bytesWritten);
          expect(last.readTotal).toBe(counters.bytesRead);
          expect(last.xEnd).toBe(counters.writes + counters.reads);
          for (const p of s.points) expect(p.readTotal).toBeLessThanOrEqual(p.written);
          expect(s.points.reduce((a, p) => a + p.writes + p.reads, 0)).toBe(counters.writes + counters.reads);
        },
      ),
    );
  });
});
