import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { delimiterBytes, encodeMessage, encodeMessages, lengthPrefixCapacity } from './framing-encode.ts';

const b = (s: string) => new TextEncoder().encode(s);

describe('encodeMessage', () => {
  it('appends the delimiter as UTF-8', () => {
    expect(Array.from(encodeMessage(b('Hello1'), { mode: 'delimiter', delimiter: '\n', maxMessageBytes: 64 }))).toEqual(Array.from(b('Hello1\n')));
    expect(Array.from(delimiterBytes('é|'))).toEqual([0xc3, 0xa9, 0x7c]);
  });

  it('pads or truncates to the fixed size', () => {
    expect(Array.from(encodeMessage(b('Hi'), { mode: 'fixed', size: 4 }))).toEqual([0x48, 0x69, 0, 0]);
    expect(Array.from(encodeMessage(b('Hi'), { mode: 'fixed', size: 4 }, { padByte: 0x20 }))).toEqual([0x48, 0x69, 0x20, 0x20]);
    expect(Array.from(encodeMessage(b('Hello1\n'), { mode: 'fixed', size: 5 }))).toEqual(Array.from(b('Hello')));
  });

  it('prepends a big-endian length of 1, 2 or 4 bytes, and ignores the maximum on purpose', () => {
    fc.assert(
      fc.property(fc.constantFrom(1 as const, 2 as const, 4 as const), fc.uint8Array({ maxLength: 300 }), (prefixBytes, payload) => {
        fc.pre(payload.length <= lengthPrefixCapacity(prefixBytes));
        const out = encodeMessage(payload, { mode: 'length-prefix', prefixBytes, maxMessageBytes: 1 });
        let n = 0;
        for (let i = 0; i < prefixBytes; i++) n = n * 256 + out[i]!;
        expect(n).toBe(payload.length);
        expect(Array.from(out.subarray(prefixBytes))).toEqual(Array.from(payload));
      }),
    );
  });

  it('refuses a payload the prefix cannot announce', () => {
    expect(() => encodeMessage(new Uint8Array(256), { mode: 'length-prefix', prefixBytes: 1, maxMessageBytes: 65536 })).toThrow(
      'a 1-byte length prefix holds at most 255; the payload has 256 bytes',
    );
  });

  it('leaves raw payloads alone and concatenates frames in order', () => {
    expect(Array.from(encodeMessages([b('ab'), b('c')], { mode: 'raw' }))).toEqual(Array.from(b('abc')));
    expect(Array.from(encodeMessages([b('a'), new Uint8Array(0)], { mode: 'length-prefix', prefixBytes: 2, maxMessageBytes: 9 }))).toEqual([0, 1, 0x61, 0, 0]);
  });
});
