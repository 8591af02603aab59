// The tutorial's own Go clients, built unchanged from the seed text, against tcpscope on :5055
// (they dial that port, so this test needs it free).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tcpscope } from '../server/app.ts';
import { DEFAULT_TCP_PORT } from '../shared/limits.ts';
import { startTestScope } from './helpers.ts';

const run = promisify(execFile);
const SEED_TOOL = path.resolve(import.meta.dirname, '../../shared/tools/seed-clients');

let scope: Tcpscope;
let bin: string;
beforeAll(async () => {
  if (!existsSync(SEED_TOOL)) throw new Error(`the seed tool is missing at ${SEED_TOOL}`);
  bin = mkdtempSync(path.join(os.tmpdir(), 'tcpscope-seed-'));
  // Needs Go (Debian: apt-get install -y golang-go); .ci/run installs it.
  await run(SEED_TOOL, [bin], { env: { ...process.env, GOCACHE: path.join(bin, 'gocache') } });
  scope = await startTestScope({ tcpPort: DEFAULT_TCP_PORT });
}, 120_000);
afterAll(async () => {
  await scope?.close();
});

describe("the tutorial's Go clients", () => {
  it('client1 writes Hello1\\n once and prints Received: 7', async () => {
    const { stdout, stderr } = await run(path.join(bin, 'client1'));
    expect(stdout + stderr).toMatch(/Received: 7$/m);
    const reads = scope.recorder.store.query({ kind: 'read', limit: 10 });
    expect(reads.at(-1)).toMatchObject({ length: 7, offset: 0 });
  });

  it('client3 writes Hello1..3 quickly: one read of 21 at buffer 1024', async () => {
    const { stdout, stderr } = await run(path.join(bin, 'client3'));
    expect(stdout + stderr).toMatch(/Received: 21$/m);
    const conn = scope.registry.list().at(-1)!;
    expect(conn).toMatchObject({ origin: 'external', reads: 1, bytesRead: 21 });
  });
});
