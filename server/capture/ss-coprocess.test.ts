// The ss shell, run with stand-in programs whose output is known: answers whole however the pipe splits
// them, failures with their reason, and a fresh shell after one was given up on.
import { afterEach, describe, expect, it } from 'vitest';
import { createSsCoprocess, type SsCoprocess } from './ss-coprocess.ts';

const running: SsCoprocess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop()));
});

function coprocess(command: string, args: string[] = [], maxOutputBytes = 4 * 1024 * 1024): SsCoprocess {
  const c = createSsCoprocess({ command, args, timeoutMs: 20_000, maxOutputBytes });
  running.push(c);
  return c;
}

describe('ss coprocess', () => {
  it('answers each run with its whole output, run after run, from one shell', async () => {
    const seq = coprocess('seq');
    for (const n of [1, 100_000, 3]) {
      const out = await seq.run(String(n));
      const lines = out.trimEnd().split('\n');
      expect(lines).toHaveLength(n);
      expect(lines.at(-1)).toBe(String(n));
    }
  });

  it('passes the filter as one argument after the fixed ones', async () => {
    const echo = coprocess('printf', ['%s|%s\n', 'fixed']);
    expect(await echo.run('( sport = :5055 or dport = :5055 )')).toBe('fixed|( sport = :5055 or dport = :5055 )\n');
  });

  it('fails a run with the reason, and keeps answering the next', async () => {
    const sh = coprocess('sh', ['-c']);
    await expect(sh.run('echo "ss: bad filter" >&2; exit 3')).rejects.toThrow('ss: bad filter');
    expect(await sh.run('echo ok')).toBe('ok\n');
    await expect(coprocess('/nonexistent/ss').run('x')).rejects.toThrow('/nonexistent/ss: not found');
  });

  it('gives up on an answer past its byte bound, and starts a new shell for the next run', async () => {
    const seq = coprocess('seq', [], 1000);
    await expect(seq.run('100000')).rejects.toThrow('ss output exceeded 1000 bytes');
    expect(await seq.run('2')).toBe('1\n2\n');
  });

  it('refuses a filter that would be two lines', async () => {
    await expect(coprocess('seq').run('1\n2')).rejects.toThrow('one line');
  });
});
