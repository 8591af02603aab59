import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toAsciiEscaped, toHex } from './hex.ts';

describe('toHex', () => {
  it("formats as the tutorial's server logs: uppercase pairs, single spaces", () => {
    expect(toHex(new TextEncoder().encode('Hello1\n'))).toBe('48 65 6C 6C 6F 31 0A');
    expect(toHex(new Uint8Array([0, 255]))).toBe('00 FF');
    expect(toHex(new Uint8Array(0))).toBe('');
  });

  it('formats only the range asked for', () => {
    expect(toHex(new Uint8Array([1, 2, 3, 4]), 1, 3)).toBe('02 03');
    expect(toHex(new Uint8Array([1, 2]), 2, 2)).toBe('');
  });

  it('round-trips any bytes through fromHex, in the exact format', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const hex = toHex(bytes);
        expect(hex).toMatch(/^(?:[0-9A-F]{2}(?: [0-9A-F]{2})*)?$/);
        expect(hex.length).toBe(bytes.length === 0 ? 0 : bytes.length * 3 - 1);
        expect(fromHex(hex)).toEqual(bytes);
      }),
    );
  });
});

describe('toAsciiEscaped', () => {
  it('shows printable ASCII as is and escapes the rest', () => {
    expect(toAsciiEscaped(new TextEncoder().encode('Hi\n\r\t\\'))).toBe('Hi\\n\\r\\t\\\\');
    expect(toAsciiEscaped(new Uint8Array([0, 0x7f, 0xff]))).toBe('\\0\\x7F\\xFF');
  });
});
