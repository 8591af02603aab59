import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { payloadSpans, spanOfEachByte } from './payload-map.ts';

const reads7 = [
  { offset: 0, length: 7 },
  { offset: 7, length: 7 },
  { offset: 14, length: 7 },
];

describe('payloadSpans', () => {
  it('splits one 21-byte segment into the three 7-byte reads that consumed it', () => {
    const spans = payloadSpans({ relativeSeq: 1, payloadLength: 21 }, reads7);
    expect(spans.map((s) => [s.start, s.end, s.index])).toEqual([
      [0, 7, 0],
      [7, 14, 1],
      [14, 21, 2],
    ]);
  });

  it('clips a read that spans two segments to each', () => {
    const read = [{ offset: 0, length: 21 }];
    expect(payloadSpans({ relativeSeq: 1, payloadLength: 7 }, read).map((s) => [s.start, s.end])).toEqual([[0, 7]]);
    expect(payloadSpans({ relativeSeq: 8, payloadLength: 14 }, read).map((s) => [s.start, s.end])).toEqual([[0, 14]]);
  });

  it('leaves bytes no read has consumed yet unmarked', () => {
    const spans = payloadSpans({ relativeSeq: 8, payloadLength: 14 }, reads7.slice(0, 2));
    expect(spans.map((s) => [s.start, s.end, s.index])).toEqual([[0, 7, 1]]);
    expect([...spanOfEachByte(14, spans)]).toEqual([0, 0, 0, 0, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1]);
    expect(payloadSpans({ relativeSeq: 1, payloadLength: 0 }, reads7)).toEqual([]);
  });

  it('covers exactly the bytes that both the segment and the reads cover, for any cut of the stream', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 20 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 30 }),
        (lengths, start, len) => {
          let at = 0;
          const chunks = lengths.map((length) => {
            const c = { offset: at, length };
            at += length;
            return c;
          });
          const spans = payloadSpans({ relativeSeq: start + 1, payloadLength: len }, chunks);
          const covered = [...spanOfEachByte(len, spans)].filter((k) => k >= 0).length;
          expect(covered).toBe(Math.max(0, Math.min(start + len, at) - start));
          for (let k = 1; k < spans.length; k++) expect(spans[k]!.start).toBe(spans[k - 1]!.end);
        },
      ),
    );
  });
});
