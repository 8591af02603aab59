import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ChunkEvent } from '../../shared/events.ts';
import { toHex } from '../../shared/hex.ts';
import { buildRibbon, byteAt, gapsOf, layoutGaps, layoutSpans, mappingSummary, overlapping } from './ribbon-layout.ts';

let seq = 0;
function chunk(kind: 'write' | 'read', offset: number, text: string, keep = text.length): ChunkEvent {
  const bytes = new TextEncoder().encode(text);
  return { seq: seq++, t: 0, connId: 1, kind, offset, length: bytes.length, hex: toHex(bytes, 0, keep), truncated: keep < bytes.length };
}

const threeWrites = [chunk('write', 0, 'Hello1\n'), chunk('write', 7, 'Hello2\n'), chunk('write', 14, 'Hello3\n')];
const oneRead = [chunk('read', 0, 'Hello1\nHello2\nHello3\n')];

describe('buildRibbon', () => {
  it('lays three writes over one read on the same 21 bytes', () => {
    const r = buildRibbon(threeWrites, oneRead);
    expect([r.start, r.end]).toEqual([0, 21]);
    expect(r.writes.map((s) => [s.n, s.offset, s.length])).toEqual([[1, 0, 7], [2, 7, 7], [3, 14, 7]]);
    expect(mappingSummary(r)).toBe('3 writes → 1 read');
  });

  it('says "1 write → 3 reads" when a small buffer splits a write', () => {
    const reads = [chunk('read', 0, 'Hello1\n'), chunk('read', 7, 'Hello2\n'), chunk('read', 14, 'Hello3\n')];
    expect(mappingSummary(buildRibbon([chunk('write', 0, 'Hello1\nHello2\nHello3\n')], reads))).toBe('1 write → 3 reads');
  });

  it('explains reads-only for outside clients', () => {
    expect(mappingSummary(buildRibbon([], oneRead))).toMatch(/^1 read \(writes of outside clients/);
  });

  it('starts where the oldest held span starts', () => {
    expect(buildRibbon([], [chunk('read', 700, 'abc')]).start).toBe(700);
  });
});

describe('overlapping', () => {
  it('finds the writes a read carries and the reads a write went into', () => {
    const r = buildRibbon(threeWrites, [chunk('read', 0, 'Hello1\nHel'), chunk('read', 10, 'lo2\nHello3\n')]);
    expect(overlapping(r.writes, 10, 11).map((s) => s.n)).toEqual([2, 3]);
    expect(overlapping(r.reads, 7, 7).map((s) => s.n)).toEqual([1, 2]);
    expect(overlapping(r.reads, 21, 5)).toEqual([]);
  });
});

describe('byteAt', () => {
  it('reads bytes from reads, falling back to writes where a read was cut short', () => {
    const r = buildRibbon(threeWrites, [chunk('read', 0, 'Hello1\nHello2\nHello3\n', 3)]);
    expect(byteAt(r, 0)).toBe(0x48);
    expect(byteAt(r, 6)).toBe(0x0a);
    expect(byteAt(r, 20)).toBe(0x0a);
    expect(byteAt(r, 21)).toBeUndefined();
  });
});

describe('layoutSpans', () => {
  it('places each span at its byte position', () => {
    const r = buildRibbon(threeWrites, oneRead);
    const items = layoutSpans(r.writes, r.start, 10, 0, 1000);
    expect(items.map((i) => [i.type, i.x, i.w])).toEqual([['span', 0, 70], ['span', 70, 70], ['span', 140, 70]]);
  });

  it('draws only what is in view', () => {
    const r = buildRibbon(threeWrites, oneRead);
    expect(layoutSpans(r.writes, r.start, 10, 75, 139).map((i) => i.type === 'span' && i.span.n)).toEqual([2]);
  });

  it('merges narrow spans so the element count stays bounded by the screen width', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 3000 }), fc.double({ min: 0.001, max: 30, noNaN: true }), (lens, ppb) => {
        let off = 0;
        const events = lens.map((len) => {
          const e: ChunkEvent = { seq: seq++, t: 0, connId: 1, kind: 'read', offset: off, length: len, hex: '', truncated: false };
          off += len;
          return e;
        });
        const r = buildRibbon([], events);
        const width = 800;
        const items = layoutSpans(r.reads, r.start, ppb, 0, width);
        expect(items.length).toBeLessThanOrEqual(width / 3 + 2);
        const covered = items.reduce((a, i) => a + (i.type === 'span' ? i.span.length : i.bytes), 0);
        const visibleBytes = Math.min(off, width / ppb);
        expect(covered).toBeGreaterThanOrEqual(Math.floor(visibleBytes) - 50);
      }),
    );
  });
});

describe('the ribbon under load', () => {
  it('counts from the exact counters and keeps the outside-client note for external connections only', () => {
    const r = buildRibbon([chunk('write', 0, 'Hello1\n')], [chunk('read', 0, 'Hello1\n')]);
    expect(mappingSummary(r, { writes: 1000, reads: 64000, external: false })).toBe('1,000 writes → 64,000 reads');
    // A built-in connection whose writes were all summarised still has writes.
    expect(mappingSummary(buildRibbon([], [chunk('read', 0, 'abc')]), { writes: 3, reads: 1, external: false })).toBe('3 writes → 1 read');
    expect(mappingSummary(buildRibbon([], [chunk('read', 0, 'abc')]), { writes: 0, reads: 1, external: true })).toBe(
      '1 read (writes of outside clients are not visible)',
    );
  });

  it('reaches to the counters and marks what it does not hold as gaps', () => {
    // Writes held for bytes 0–13, nothing for 14–41; reads held for 28–41 only.
    const r = buildRibbon(
      [chunk('write', 0, 'Hello1\n'), chunk('write', 7, 'Hello2\n')],
      [chunk('read', 28, 'Hello5\nHello6\n')],
      { written: 42, read: 42 },
    );
    expect([r.start, r.end]).toEqual([0, 42]);
    expect(r.writeGaps).toEqual([{ offset: 14, length: 28 }]);
    expect(r.readGaps).toEqual([{ offset: 0, length: 28 }]);
  });

  it('leaves no gap where every byte is held', () => {
    const r = buildRibbon(threeWrites, oneRead, { written: 21, read: 21 });
    expect(r.writeGaps).toEqual([]);
    expect(r.readGaps).toEqual([]);
  });
});

describe('layoutGaps', () => {
  it('draws a lone gap as it is, and only what is in view', () => {
    const gaps = [
      { offset: 100, length: 50 },
      { offset: 1000, length: 10 },
    ];
    expect(layoutGaps(gaps, 0, 1, 0, 500)).toEqual([{ offset: 100, end: 150, bytes: 50, count: 1, x: 100, w: 50 }]);
  });

  it('merges gaps less than a pixel apart, so the element count stays bounded by the screen width, and counts every byte', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 })), { minLength: 1, maxLength: 2000 }), fc.double({ min: 0.001, max: 2, noNaN: true }), (pairs, ppb) => {
        // Alternate held spans and gaps: [held, gap] pairs.
        const gaps: { offset: number; length: number }[] = [];
        let at = 0;
        for (const [held, gap] of pairs) {
          at += held;
          gaps.push({ offset: at, length: gap });
          at += gap;
        }
        const width = at * ppb;
        const drawn = layoutGaps(gaps, 0, ppb, 0, width);
        expect(drawn.length).toBeLessThanOrEqual(Math.ceil(width) + 1);
        expect(drawn.reduce((n, d) => n + d.bytes, 0)).toBe(gaps.reduce((n, g) => n + g.length, 0));
        expect(drawn.reduce((n, d) => n + d.count, 0)).toBe(gaps.length);
        // In order, never overlapping in bytes, each within what it covers.
        for (const [i, d] of drawn.entries()) {
          expect(d.bytes).toBeLessThanOrEqual(d.end - d.offset);
          if (i > 0) expect(d.offset).toBeGreaterThanOrEqual(drawn[i - 1]!.end);
        }
      }),
    );
  });

  it("stands for the counters' gaps of a summarised stream: 3,000 one-byte gaps in 300 px become at most 301 elements", () => {
    const spans = Array.from({ length: 3000 }, (_, i) => ({ n: i + 1, offset: i * 2, length: 1, event: chunk('read', i * 2, 'x') }));
    const gaps = gapsOf(spans, 0, 6000);
    expect(gaps).toHaveLength(3000);
    const drawn = layoutGaps(gaps, 0, 300 / 6000, 0, 300);
    expect(drawn.length).toBeLessThanOrEqual(301);
    expect(drawn.reduce((n, d) => n + d.bytes, 0)).toBe(3000);
  });
});
