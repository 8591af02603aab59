import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFrameStore, type StoredFrame } from './frame-store.ts';
import { writePcap } from './pcap-writer.ts';

const frame = (size: number, tag: number, linkType = 1): StoredFrame => ({
  tsSec: tag,
  tsNsec: 123_000,
  data: Uint8Array.from({ length: size }, (_, i) => (tag * 7 + i) & 0xff),
  originalLength: size + 5,
  linkType,
});

describe('frame store', () => {
  it('gives back every frame of a connection, byte for byte and in order, while within its bounds', () => {
    const s = createFrameStore({ perConnBytes: 100_000, totalBytes: 1_000_000 });
    const added = [1, 60, 300, 7, 1500].map((n, i) => frame(n, i));
    for (const f of added) s.add(3, f);
    expect(s.framesOf(3)).toEqual(added);
    expect(s.framesOf(4)).toBeUndefined();
  });

  it('keeps, for every connection, its newest frames byte for byte while evicted blocks are written again', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ conn: fc.integer({ min: 1, max: 3 }), size: fc.integer({ min: 0, max: 90 }) }), { maxLength: 300 }), (adds) => {
        const s = createFrameStore({ perConnBytes: 600, totalBytes: 1200, blockBytes: 256 });
        const added = new Map<number, StoredFrame[]>();
        adds.forEach(({ conn, size }, i) => {
          const f = frame(size, i);
          s.add(conn, f);
          added.set(conn, [...(added.get(conn) ?? []), f]);
        });
        for (const [conn, all] of added) {
          const kept = s.framesOf(conn) ?? [];
          // The newest frames, in order, each as it was added: a reused block never shows an older frame's bytes.
          expect(kept).toEqual(all.slice(all.length - kept.length));
        }
        expect(s.bytes()).toBeLessThanOrEqual(1200);
      }),
    );
  });

  it('writes the same pcap file as the pcap writer does from the kept frames', () => {
    const s = createFrameStore();
    for (let i = 0; i < 50; i++) s.add(1, frame(i * 13, i));
    expect(s.pcapOf(1)).toEqual(writePcap(1, s.framesOf(1)!));
    expect(s.pcapOf(2)).toBeUndefined();
  });

  it('keeps one link type per pcap file: the first kept frame\'s', () => {
    const s = createFrameStore();
    s.add(1, frame(10, 0, 1));
    s.add(1, frame(10, 1, 113));
    s.add(1, frame(10, 2, 1));
    expect(writePcap(1, s.framesOf(1)!.filter((f) => f.linkType === 1))).toEqual(s.pcapOf(1));
  });

  it('forgets a connection at once, its bytes freed and the others kept, and keeps the total bound after', () => {
    const s = createFrameStore({ perConnBytes: 4096, totalBytes: 8192, blockBytes: 1024 });
    for (let i = 0; i < 20; i++) s.add(1, frame(100, i));
    const others = [0, 1, 2].map((i) => frame(50, 100 + i));
    for (const f of others) s.add(2, f);
    const before = s.bytes();
    s.forget(1);
    expect(s.framesOf(1)).toBeUndefined();
    expect(s.bytes()).toBeLessThan(before);
    expect(s.framesOf(2)).toEqual(others);
    s.forget(7); // unknown: nothing happens
    for (let i = 0; i < 400; i++) s.add(3, frame(100, i));
    expect(s.bytes()).toBeLessThanOrEqual(8192);
    expect(s.framesOf(2)).toEqual(others);
  });

  it('refuses a frame larger than a bound', () => {
    const s = createFrameStore({ perConnBytes: 64, totalBytes: 1000, blockBytes: 64 });
    s.add(1, frame(100, 0));
    expect(s.framesOf(1)).toBeUndefined();
    expect(s.bytes()).toBe(0);
  });

  it('holds both bounds in bytes allocated, keeps the newest frames of each connection, and forgets emptied ones', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ conn: fc.integer({ min: 1, max: 4 }), size: fc.integer({ min: 1, max: 60 }) }), { maxLength: 2000 }),
        fc.integer({ min: 300, max: 2000 }),
        fc.integer({ min: 300, max: 5000 }),
        (adds, perConn, totalBound) => {
          const s = createFrameStore({ perConnBytes: perConn, totalBytes: totalBound, blockBytes: 256 });
          const sent = new Map<number, number[]>();
          adds.forEach((a, tag) => {
            s.add(a.conn, frame(a.size, tag));
            sent.set(a.conn, [...(sent.get(a.conn) ?? []), tag]);
            expect(s.bytes()).toBeLessThanOrEqual(totalBound);
            // The frame just added is always kept.
            expect(s.framesOf(a.conn)!.at(-1)!.tsSec).toBe(tag);
          });
          for (const [conn, tags] of sent) {
            const kept = (s.framesOf(conn) ?? []).map((f) => f.tsSec);
            // What is kept is the newest frames, none skipped.
            expect(kept).toEqual(tags.slice(tags.length - kept.length));
            const bytes = (s.framesOf(conn) ?? []).reduce((n, f) => n + 16 + f.data.length, 0);
            expect(bytes).toBeLessThanOrEqual(perConn);
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('stays within its bound under a flood of small frames on many connections', () => {
    const s = createFrameStore({ perConnBytes: 100_000, totalBytes: 1_000_000 });
    for (let i = 0; i < 200_000; i++) s.add(1 + (i % 50), frame(70, i));
    expect(s.bytes()).toBeLessThanOrEqual(1_000_000);
    // The newest frames of the busiest connections are there.
    expect(s.framesOf(50)!.at(-1)!.tsSec).toBe(199_999);
  });
});
