import { describe, expect, it } from 'vitest';
import { FixedDecoder } from './fixed-decoder.ts';
import { assertDecodesEveryCut, bytes, cutAt, feed } from './test-support.ts';

describe('FixedDecoder', () => {
  it('yields every message byte for byte, with the reads that carried it, however the stream is cut', () => {
    assertDecodesEveryCut('fixed');
  });

  it("cuts the tutorial's 21-byte read into its three 7-byte messages", () => {
    const stream = bytes('Hello1\nHello2\nHello3\n');
    const { messages } = feed(new FixedDecoder(7), cutAt(stream, []));
    expect(messages.map((m) => new TextDecoder().decode(Uint8Array.from(m.bytes)))).toEqual(['Hello1\n', 'Hello2\n', 'Hello3\n']);
    expect(messages.map((m) => [m.firstReadSeq, m.lastReadSeq, m.offset])).toEqual([
      [10, 10, 0],
      [10, 10, 7],
      [10, 10, 14],
    ]);
  });

  it('holds an unfinished message and reports it as buffered', () => {
    const d = new FixedDecoder(7);
    const seen: number[][] = [];
    expect(d.push(bytes('Hel'), 1, (m) => seen.push(Array.from(m)))).toBeNull();
    expect(seen).toEqual([]);
    expect(d.buffered()).toBe(3);
    d.push(bytes('lo1\nHe'), 2, (m, first, last, offset) => seen.push([first, last, offset, m.length]));
    expect(seen).toEqual([[1, 2, 0, 7]]);
    expect(d.buffered()).toBe(2);
  });

  it('stops right after the first message when asked to stop at a boundary', () => {
    const d = new FixedDecoder(3);
    const seen: number[] = [];
    const chunk = bytes('abcdefgh');
    expect(d.pushToBoundary(chunk, 0, 1, (_m, _f, _l, offset) => seen.push(offset))).toBe(3);
    expect(d.nextOffset()).toBe(3);
    expect(d.pushToBoundary(chunk, 3, 1, (_m, _f, _l, offset) => seen.push(offset))).toBe(6);
    expect(d.pushToBoundary(chunk, 6, 1, (_m, _f, _l, offset) => seen.push(offset))).toBe(8);
    expect(seen).toEqual([0, 3]);
    expect(d.buffered()).toBe(2);
  });
});
