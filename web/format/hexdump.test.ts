import { describe, expect, it } from 'vitest';
import { hexdumpRows } from './hexdump.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('hexdumpRows', () => {
  it('dumps the tutorial write with its newline as a dot', () => {
    expect(hexdumpRows(bytes('Hello1\n'))).toEqual([
      { offset: '00000000', hex: '48 65 6C 6C 6F 31 0A', ascii: 'Hello1.' },
    ]);
  });

  it('splits 16-byte rows in two halves and numbers rows from the stream offset', () => {
    const rows = hexdumpRows(bytes('Hello1\nHello2\nHello3\n'), 0x10);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.hex).toBe('48 65 6C 6C 6F 31 0A 48  65 6C 6C 6F 32 0A 48 65');
    expect(rows[0]!.ascii).toBe('Hello1.Hello2.He');
    expect(rows[1]).toEqual({ offset: '00000020', hex: '6C 6C 6F 33 0A', ascii: 'llo3.' });
  });

  it('has no rows for no bytes', () => {
    expect(hexdumpRows(new Uint8Array(0))).toEqual([]);
  });
});
