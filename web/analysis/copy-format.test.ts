import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asCArray, asEscapedString, asHex, formatPayload } from './copy-format.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

/** Reads back a C string literal (possibly split as "a" "b") the way a C compiler does. */
function parseCLiteral(lit: string): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < lit.length) {
    expect(lit[i]).toBe('"');
    i++;
    while (lit[i] !== '"') {
      const c = lit[i]!;
      if (c !== '\\') {
        out.push(c.charCodeAt(0));
        i++;
        continue;
      }
      const e = lit[i + 1]!;
      if (e === 'x') {
        let j = i + 2;
        while (/[0-9a-fA-F]/.test(lit[j] ?? '')) j++; // C's hex escape is greedy
        out.push(parseInt(lit.slice(i + 2, j), 16));
        i = j;
      } else if (/[0-7]/.test(e)) {
        let j = i + 1;
        while (j < i + 4 && /[0-7]/.test(lit[j] ?? '')) j++; // up to three octal digits
        out.push(parseInt(lit.slice(i + 1, j), 8));
        i = j;
      } else {
        out.push({ n: 10, r: 13, t: 9, '\\': 92, '"': 34 }[e as 'n']);
        i += 2;
      }
    }
    i++;
    if (lit.startsWith(' "', i)) i++;
  }
  return out;
}

describe('copy formats', () => {
  it('formats the tutorial payload', () => {
    const b = bytes('Hello1\n');
    expect(asHex(b)).toBe('48 65 6C 6C 6F 31 0A');
    expect(asEscapedString(b)).toBe('"Hello1\\n"');
    expect(asCArray(b)).toBe('unsigned char payload[7] = {\n  0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x31, 0x0a\n};');
    expect(formatPayload(b, 'string')).toBe('"Hello1\\n"');
  });

  it('closes a hex escape before a hex digit, and a \\0 before an octal digit', () => {
    expect(asEscapedString(new Uint8Array([1, 0x42]))).toBe('"\\x01" "B"');
    expect(asEscapedString(new Uint8Array([0, 0x31]))).toBe('"\\x00" "1"');
    expect(asEscapedString(new Uint8Array([0, 0x41]))).toBe('"\\0A"');
    expect(asEscapedString(bytes('say "hi"\\'))).toBe('"say \\"hi\\"\\\\"');
  });

  it('wraps a C array twelve bytes a line, and an empty one', () => {
    expect(asCArray(new Uint8Array(13)).split('\n')).toHaveLength(4);
    expect(asCArray(new Uint8Array(0))).toBe('unsigned char payload[0] = { };');
  });

  it('every format gives the bytes back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(parseCLiteral(asEscapedString(b))).toEqual([...b]);
        expect(asHex(b) === '' ? [] : asHex(b).split(' ').map((h) => parseInt(h, 16))).toEqual([...b]);
        const body = /\{([\s\S]*)\}/.exec(asCArray(b))![1]!.trim();
        expect(body === '' ? [] : body.split(/,\s*/).map(Number)).toEqual([...b]);
      }),
    );
  });
});
