import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PartialBuffer } from './partial-buffer.ts';

describe('PartialBuffer', () => {
  it('holds exactly the bytes appended, up to its cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 10 }), (cap, parts) => {
        const p = new PartialBuffer(cap);
        const expected: number[] = [];
        for (const part of parts) {
          if (expected.length + part.length > cap) {
            expect(() => p.append(part, 0, part.length)).toThrow(RangeError);
            continue;
          }
          p.append(part, 0, part.length);
          expected.push(...part);
        }
        expect(Array.from(p.view())).toEqual(expected);
        p.clear();
        expect(p.length).toBe(0);
      }),
    );
  });

  it('copies, so the source can be overwritten after append', () => {
    const p = new PartialBuffer(8);
    const src = Uint8Array.of(1, 2, 3, 4);
    p.append(src, 1, 3);
    src.fill(0);
    expect(Array.from(p.view())).toEqual([2, 3]);
  });
});
