// `npm run bench -- --quick` runs end to end and writes its results: this checks that the bench works,
// not its figures (tests time nothing).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchResults } from './results.ts';
import { BEGIN, END } from './report/doc.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const out = mkdtempSync(path.join(os.tmpdir(), 'tcpscope-bench-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run bench -- --quick', () => {
  it('runs every scenario and writes the table, the doc and the raw results', { timeout: 300_000 }, async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--out', out], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
    for (const title of ['Targets', 'Throughput', 'Latency', 'Scale', 'Fan-out', 'Write to browser', 'Flood', 'Memory']) {
      expect(stdout).toContain(title);
    }
    const results = JSON.parse(readFileSync(path.join(out, 'latest.json'), 'utf8')) as BenchResults;
    expect(results.quick).toBe(true);
    expect(results.throughput?.length).toBe(9);
    expect(results.throughput?.map((c) => c.reply)).toContain('ack');
    expect(results.throughput?.every((c) => c.mbps.onreadcap?.n === 1)).toBe(true);
    expect(results.throughput?.every((c) => c.ratio.tcpscope?.n === 1 && c.ratio.nocapture?.n === 1)).toBe(true);
    expect(results.latency?.p50Ratio.tcpscope?.n).toBe(1);
    expect(results.scale?.map((c) => c.conns)).toEqual([1, 1000]);
    expect(results.scale?.[1]?.rssPerConnBytes.tcpscope?.n).toBe(1);
    expect(results.fanout?.length).toBeGreaterThan(0);
    expect(results.writeToWs?.tcpscope?.samples).toBeGreaterThan(0);
    expect(results.writeToWs?.nocapture?.samples).toBeGreaterThan(0);
    expect(results.flood?.tcpscope?.exact).toBe(true);
    expect(results.flood?.nocapture?.exact).toBe(true);
    expect(results.memory?.idleRss).toBeGreaterThan(0);
    expect(results.memory?.fourPeers.exact).toBe(true);
    // The page in Chromium under a stream: measured where Debian's Chromium is installed, said so where not.
    if (existsSync('/usr/bin/chromium')) {
      expect(results.page).toMatchObject({ skipped: null, exact: true, pageErrors: [] });
      expect(results.page!.chartPointsMax).toBeLessThanOrEqual(results.page!.chartPointsLimit);
    } else expect(results.page?.skipped).toMatch(/Chromium is not installed/);
    const doc = readFileSync(path.join(out, 'benchmarks.md'), 'utf8');
    expect(doc).toContain(BEGIN);
    expect(doc).toContain(END);
    expect(doc).toContain(results.machine.node);
  });
});
