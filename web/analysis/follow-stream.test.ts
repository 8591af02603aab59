import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChunkEvent } from '../../shared/events.ts';
import { toHex } from '../../shared/hex.ts';
import { followStream, splitAt, streamTotals } from './follow-stream.ts';

let seq = 0;
function chunk(kind: ChunkEvent['kind'], offset: number, text: string): ChunkEvent {
  const b = new TextEncoder().encode(text);
  return { seq: seq++, t: 0, connId: 1, kind, offset, length: b.length, hex: toHex(b), truncated: false };
}
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe('follow stream', () => {
  it('interleaves reads and replies in order and marks the write cuts inside a read', () => {
    const writes = [chunk('write', 0, 'Hello1\n'), chunk('write', 7, 'Hello2\n'), chunk('write', 14, 'Hello3\n')];
    const read = chunk('read', 0, 'Hello1\nHello2\nHello3\n');
    const reply = chunk('reply', 0, 'Received: 21');
    const pieces = followStream({ writes, reads: [read], replies: [reply] });
    expect(pieces.map((p) => p.dir)).toEqual(['c2s', 's2c']);
    expect(pieces[0]!.parts.map((p) => [dec(p.bytes), p.writeCutBefore])).toEqual([
      ['Hello1\n', false],
      ['Hello2\n', true],
      ['Hello3\n', true],
    ]);
    expect(streamTotals(pieces)).toEqual({ c2sBytes: 21, s2cBytes: 12, reads: 1, replies: 1 });
  });

  it('keeps a read whole when its cuts fall on its edges', () => {
    const parts = splitAt(new TextEncoder().encode('Hello1\n'), 7, new Set([7, 14]));
    expect(parts).toHaveLength(1);
  });

  it('counts the bytes the page does not hold', () => {
    const r = { ...chunk('read', 0, 'abc'), length: 10, truncated: true };
    expect(followStream({ writes: [], reads: [r], replies: [] })[0]!.missing).toBe(7);
  });

  it('splitting loses and adds no byte, and cuts exactly where asked', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat({ max: 100 }), fc.array(fc.nat({ max: 150 })), (b, offset, cuts) => {
        const set = new Set(cuts);
        const parts = splitAt(b, offset, set);
        expect(Buffer.concat(parts.map((p) => p.bytes))).toEqual(Buffer.from(b));
        let at = offset;
        parts.forEach((p, i) => {
          if (i > 0) expect(set.has(at)).toBe(true);
          expect(p.writeCutBefore).toBe(i > 0);
          at += p.bytes.length;
        });
        const inside = [...set].filter((c) => c > offset && c < offset + b.length).length;
        expect(parts.length).toBe(1 + inside);
      }),
    );
  });
});
