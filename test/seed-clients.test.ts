// Go clients against tcpscope. Our own copy of the tutorial's client (test/go-client) always runs: the Go
// path is tested on any clone, skipped only where `go` itself is missing (and the skip says so). The
// tutorial's own clients, built unchanged from the seed text by ../shared/tools/seed-clients, run only where
// that tool exists beside the repository; a plain clone has no ../shared, and that case alone is skipped.
// The tutorial's clients dial :5055, so that port must be free while they run.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tcpscope } from '../server/app.ts';
import { DEFAULT_TCP_PORT } from '../shared/limits.ts';
import { nextEvent, startTestScope } from './helpers.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const SEED_TOOL = path.resolve(ROOT, '../shared/tools/seed-clients');
const HAS_SEED_TOOL = existsSync(SEED_TOOL);

function goVersion(): string | null {
  try {
    return execFileSync('go', ['version'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}
const GO = goVersion();

function goEnv(dir: string): NodeJS.ProcessEnv {
  return { ...process.env, GOCACHE: path.join(dir, 'gocache'), GOPATH: path.join(dir, 'gopath'), GO111MODULE: 'off' };
}

describe.skipIf(GO === null)(`our Go client (test/go-client)${GO === null ? ' — SKIPPED: `go` is not installed (Debian: apt-get install -y golang-go)' : ''}`, () => {
  let scope: Tcpscope;
  let client: string;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tcpscope-go-'));
    client = path.join(dir, 'client');
    await run('go', ['build', '-o', client, path.join(ROOT, 'test/go-client/main.go')], { cwd: ROOT, env: goEnv(dir) });
    scope = await startTestScope();
  }, 120_000);
  afterAll(async () => {
    await scope?.close();
  });

  it('writes Hello1\\n once and prints Received: 7', async () => {
    const closed = nextEvent(scope, (e) => e.kind === 'close', 'the close of the Go client\'s connection');
    const { stdout, stderr } = await run(client, [`127.0.0.1:${scope.tcpPort}`, '1']);
    expect(stdout + stderr).toMatch(/Received: 7$/m);
    await closed;
    const conn = scope.registry.list().at(-1)!;
    expect(conn).toMatchObject({ origin: 'external', reads: 1, bytesRead: 7 });
  });

  it('writes Hello1..3 quickly over IPv6 too: the server reads all 21 bytes', async () => {
    const closed = nextEvent(scope, (e) => e.kind === 'close', 'the close of the Go client\'s connection');
    const { stdout, stderr } = await run(client, [`[::1]:${scope.tcpPort}`, '3']);
    expect(stdout + stderr).toMatch(/Received: \d+$/m);
    await closed;
    const conn = scope.registry.list().at(-1)!;
    expect(conn).toMatchObject({ origin: 'external', remoteAddress: '::1', bytesRead: 21 });
  });
});

describe.skipIf(!HAS_SEED_TOOL)(
  `the tutorial's Go clients${HAS_SEED_TOOL ? '' : ` — SKIPPED: ${SEED_TOOL} is absent (no ../shared beside this clone)`}`,
  () => {
    let scope: Tcpscope;
    let bin: string;
    beforeAll(async () => {
      bin = mkdtempSync(path.join(os.tmpdir(), 'tcpscope-seed-'));
      // Needs Go (Debian: apt-get install -y golang-go); .ci/run installs it.
      await run(SEED_TOOL, [bin], { env: { ...process.env, GOCACHE: path.join(bin, 'gocache') } });
      scope = await startTestScope({ tcpPort: DEFAULT_TCP_PORT });
    }, 120_000);
    afterAll(async () => {
      await scope?.close();
    });

    it('client1 writes Hello1\\n once and prints Received: 7', async () => {
      const { stdout, stderr } = await run(path.join(bin, 'client1'));
      expect(stdout + stderr).toMatch(/Received: 7$/m);
      const reads = scope.recorder.store.query({ kind: 'read', limit: 10 });
      expect(reads.at(-1)).toMatchObject({ length: 7, offset: 0 });
    });

    // The tutorial's second run: three quick writes, one read of all 21 bytes. Three writes from a Go program
    // reach the server as one read only if it reads after the third arrives; so here the server holds its
    // reads (paused) until its socket sampler sees all 21 bytes queued in the kernel, and then reads once.
    // (Unheld, the first read may take Hello1 alone: the client then prints Received: 7, as TCP allows.)
    it('client3 writes Hello1..3 quickly: one read of 21 at buffer 1024', async () => {
      scope.config.apply({ paused: true });
      const queued = nextEvent(scope, (e) => e.kind === 'sample' && e.side === 'server' && e.recvQ === 21, 'a sample of the server socket with 21 bytes unread');
      const client = run(path.join(bin, 'client3'));
      await queued;
      scope.config.apply({ paused: false });
      const { stdout, stderr } = await client;
      expect(stdout + stderr).toMatch(/Received: 21$/m);
      const conn = scope.registry.list().at(-1)!;
      expect(conn).toMatchObject({ origin: 'external', reads: 1, bytesRead: 21 });
    });
  },
);
