import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFrameStore, type StoredFrame } from './frame-store.ts';

const frame = (size: number, tag: number): StoredFrame => ({ tsSec: tag, tsNsec: 0, data: new Uint8Array(size), originalLength: size, linkType: 1 });

describe('frame store', () => {
  it('keeps the newest frames of a connection within its bound', () => {
    const s = createFrameStore({ perConnBytes: 100, totalBytes: 1000 });
    for (let i = 0; i < 10; i++) s.add(1, frame(30, i));
    expect(s.framesOf(1)!.map((f) => f.tsSec)).toEqual([7, 8, 9]);
    expect(s.bytes()).toBe(90);
  });

  it('evicts the oldest frames anywhere once the global bound is reached', () => {
    const s = createFrameStore({ perConnBytes: 100, totalBytes: 100 });
    s.add(1, frame(40, 0));
    s.add(2, frame(40, 1));
    s.add(1, frame(40, 2));
    expect(s.framesOf(1)!.map((f) => f.tsSec)).toEqual([2]);
    expect(s.framesOf(2)!.map((f) => f.tsSec)).toEqual([1]);
    s.add(3, frame(100, 3));
    expect(s.framesOf(1)).toBeUndefined();
    expect(s.framesOf(2)).toBeUndefined();
    expect(s.bytes()).toBe(100);
  });

  it('refuses a frame larger than a bound', () => {
    const s = createFrameStore({ perConnBytes: 10, totalBytes: 100 });
    s.add(1, frame(11, 0));
    expect(s.framesOf(1)).toBeUndefined();
  });

  it('stays correct while one old frame holds back many evicted ones behind it', () => {
    const s = createFrameStore({ perConnBytes: 100, totalBytes: 1_000_000 });
    s.add(1, frame(10, -1));
    for (let i = 0; i < 10_000; i++) s.add(2, frame(10, i));
    expect(s.framesOf(1)!.map((f) => f.tsSec)).toEqual([-1]);
    expect(s.framesOf(2)!.map((f) => f.tsSec)).toEqual([9990, 9991, 9992, 9993, 9994, 9995, 9996, 9997, 9998, 9999]);
    expect(s.bytes()).toBe(110);
  });

  it('agrees with a plain model of both bounds over any sequence of frames', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ conn: fc.integer({ min: 1, max: 4 }), size: fc.integer({ min: 1, max: 60 }) }), { maxLength: 3000, size: 'max' }),
        fc.integer({ min: 60, max: 200 }),
        fc.integer({ min: 60, max: 500 }),
        (adds, perConn, totalBound) => {
          const s = createFrameStore({ perConnBytes: perConn, totalBytes: totalBound });
          let model: { conn: number; size: number; tag: number }[] = [];
          adds.forEach((a, tag) => {
            s.add(a.conn, frame(a.size, tag));
            model.push({ ...a, tag });
            const mine = model.filter((m) => m.conn === a.conn);
            let bytes = mine.reduce((n, m) => n + m.size, 0);
            for (const m of mine) {
              if (bytes <= perConn) break;
              bytes -= m.size;
              model = model.filter((x) => x !== m);
            }
            let total = model.reduce((n, m) => n + m.size, 0);
            while (total > totalBound) {
              total -= model[0]!.size;
              model = model.slice(1);
            }
          });
          for (let c = 1; c <= 4; c++) {
            const want = model.filter((m) => m.conn === c).map((m) => m.tag);
            expect((s.framesOf(c) ?? []).map((f) => f.tsSec)).toEqual(want);
          }
          expect(s.bytes()).toBe(model.reduce((n, m) => n + m.size, 0));
        },
      ),
      { numRuns: 20 },
    );
  });
});
