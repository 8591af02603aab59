import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapePayload, unescapePayload, writeBytes } from './escapes.ts';

describe('payload escapes', () => {
  it('turns the typed tutorial payload into a real newline', () => {
    expect(unescapePayload('Hello{n}\\n')).toBe('Hello{n}\n');
  });

  it('understands \\r \\t \\0 \\\\ and \\xNN', () => {
    expect(unescapePayload('a\\r\\t\\0\\\\\\x41')).toBe('a\r\t\0\\A');
  });

  it('keeps unknown escapes and a trailing backslash literal', () => {
    expect(unescapePayload('\\q\\x4')).toBe('\\q\\x4');
    expect(unescapePayload('end\\')).toBe('end\\');
  });

  it('round-trips any string through escape then unescape', () => {
    fc.assert(fc.property(fc.string(), (s) => unescapePayload(escapePayload(s)) === s));
  });

  it('counts the bytes of one write with {n} expanded', () => {
    expect(writeBytes('Hello{n}\n', 1)).toBe(7);
    expect(writeBytes('Hello{n}\n', 10)).toBe(8);
    expect(writeBytes('é', 1)).toBe(2);
  });
});
