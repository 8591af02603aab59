// A --token with no entropy is refused at start, by the same parser as `npm start` and by the process.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlagError, parseFlags } from '../cli/flags.ts';
import { generateToken } from './access-token.ts';
import { TOKEN_MIN_ENTROPY_BITS, tokenEntropyBits, tokenStrengthProblem } from './token-strength.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('token strength', () => {
  it('estimates 0 bits for one repeated character, 1 bit a character for two alternating, 4 for 16 distinct', () => {
    expect(tokenEntropyBits('a'.repeat(16))).toBe(0);
    expect(tokenEntropyBits('ab'.repeat(8))).toBeCloseTo(16, 9);
    expect(tokenEntropyBits('abcdefghijklmnop')).toBeCloseTo(64, 9);
    expect(tokenEntropyBits('')).toBe(0);
  });

  it('accepts the tokens tcpscope makes up', () => {
    for (let i = 0; i < 200; i++) {
      const token = generateToken();
      expect(tokenStrengthProblem(token), token).toBeNull();
    }
  });

  it('refuses tokens below the line and accepts those on it', () => {
    expect(tokenStrengthProblem('a'.repeat(256))).toContain(`at least ${TOKEN_MIN_ENTROPY_BITS} are needed`);
    expect(tokenStrengthProblem('ab'.repeat(20))).toContain('has about 40 bits');
    // 15 distinct characters and one repeated: just under 64 bits.
    expect(tokenStrengthProblem('abcdefghijklmnoa')).not.toBeNull();
    expect(tokenStrengthProblem('abcdefghijklmnop')).toBeNull();
  });

  it('is checked by the flag parser, naming the flag', () => {
    expect(() => parseFlags(['--token', 'aaaaaaaaaaaaaaaa'])).toThrow(FlagError);
    expect(() => parseFlags(['--token', 'aaaaaaaaaaaaaaaa'])).toThrow('--token "aaaaaaaaaaaaaaaa": has about 0 bits of entropy');
    expect(parseFlags(['--token', 'c0ffee-Bean.Tea_Leaf~42']).security.token).toBe('c0ffee-Bean.Tea_Leaf~42');
  });

  it('stops `npm start -- --token aaaaaaaaaaaaaaaa` with status 2 and the reason', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--http-port', '0', '--tcp-port', '0', '--token', 'a'.repeat(16)], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toContain('--token "aaaaaaaaaaaaaaaa": has about 0 bits of entropy');
    expect(code).toBe(2);
  });
});
