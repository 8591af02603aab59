import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatBytesAs } from './copy-formats.ts';
import { unescapePayload } from './escapes.ts';

const hello = new TextEncoder().encode('Hello1\n');

describe('formatBytesAs', () => {
  it('writes the tutorial bytes as hex, an escaped string and a C array', () => {
    expect(formatBytesAs(hello, 'hex')).toBe('48 65 6C 6C 6F 31 0A');
    expect(formatBytesAs(hello, 'escaped')).toBe('Hello1\\n');
    expect(formatBytesAs(hello, 'c')).toBe('const unsigned char payload[7] = {\n  0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x31, 0x0a\n};');
  });

  it('escapes every byte so that the burst form reads it back exactly', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const back = unescapePayload(formatBytesAs(bytes, 'escaped'));
        expect(Array.from(back, (c) => c.charCodeAt(0))).toEqual(Array.from(bytes));
      }),
    );
  });
});
