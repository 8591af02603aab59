import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BufferSizeSchema } from '../../shared/config.ts';
import { parseBufferInput } from './buffer-input.ts';

describe('parseBufferInput', () => {
  it('refuses what the API refuses, in words that say what is allowed', () => {
    for (const text of ['0', '70000', '-5', '7.5', 'abc', '', '  ']) {
      const r = parseBufferInput(text);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.message, text).toContain('1–65536 B');
    }
  });

  it('normalises what it takes: "1e3" is 1000, " 7 " is 7', () => {
    expect(parseBufferInput('1e3')).toEqual({ ok: true, value: 1000 });
    expect(parseBufferInput(' 7 ')).toEqual({ ok: true, value: 7 });
  });

  it('agrees with the server schema on every number', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -10, max: 70000 }), fc.double({ noNaN: true })), (n) => {
        expect(parseBufferInput(String(n)).ok).toBe(BufferSizeSchema.safeParse(n).success);
      }),
    );
  });
});
