// Real programs watched: the tutorial's own Go server, a Go server of ours, Python asyncio and Node, a
// 100 MB stream, and tcpscope killed outright while it traces.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Tcpscope } from '../../server/app.ts';
import { lookupListener } from '../../server/watch/listener-lookup.ts';
import type { Connection } from '../../shared/connections.ts';
import type { WatchMechanism } from '../../shared/watch.ts';
import { corkedWrites, json, startTestScope } from '../helpers.ts';
import { eventsUntil, startServer, until, within } from './watch-helpers.ts';

const here = path.dirname(new URL(import.meta.url).pathname);
const repo = path.resolve(here, '../..');
const SHARED = path.resolve(repo, '../shared');
// bpftrace compiles its program first: seconds on an idle machine, a minute on a loaded one.
const ATTACH_MS = 150000;
const hasGo = (() => {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function watchedScope(port: number, mechanism: WatchMechanism): Promise<Tcpscope> {
  const scope = await startTestScope({ watchMechanisms: [mechanism] });
  cleanup.push(() => scope.close());
  expect((await json(scope, 'POST', '/api/watches', { port })).status).toBe(201);
  await within(scope.watches.whenAttached(port), ATTACH_MS, `the watch on ${port} to attach via ${mechanism}`);
  return scope;
}

async function threeWrites(port: number): Promise<string> {
  const socket = net.connect({ port, host: '127.0.0.1' });
  await once(socket, 'connect');
  corkedWrites(socket, ['Hello1\n', 'Hello2\n', 'Hello3\n']);
  const [data] = (await once(socket, 'data')) as [Buffer];
  socket.end();
  await once(socket, 'close');
  return data.toString();
}

function goBuild(): string {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'tcpscope-go-')), 'server');
  execFileSync('go', ['build', '-o', out, 'main.go'], { cwd: path.join(here, 'servers/go'), env: { ...process.env, GO111MODULE: 'off', GOCACHE: path.join(os.tmpdir(), 'tcpscope-gocache') } });
  return out;
}

describe("the tutorial's own Go server (../shared/seed)", () => {
  const present = existsSync(path.join(SHARED, 'tools/seed-server'));
  if (!present) it.skip('../shared is absent: the tutorial server case is skipped (the other programs are tested)', () => {});
  it.runIf(present && hasGo)('three quick writes: one read of 21 with requested 1024, one reply of 12 (eBPF)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tcpscope-seed-'));
    execFileSync(path.join(SHARED, 'tools/seed-server'), [dir], { stdio: 'ignore' });
    const child = spawn(path.join(dir, 'server1024'), [], { stdio: 'ignore' });
    cleanup.push(() => void child.kill('SIGKILL'));
    // The tutorial's server listens on 5055 and prints nothing until its first read.
    await until(() => lookupListener(5055).found?.pid === child.pid, 20000, 'the tutorial server to listen on 5055');
    const scope = await watchedScope(5055, 'ebpf');
    const closed = eventsUntil(scope, (all) => all.some((e) => e.kind === 'close'), 30000, 'the tutorial connection to close');
    expect(await threeWrites(5055)).toBe('Received: 21');
    const events = await closed;
    const reads = events.filter((e) => e.kind === 'read');
    const replies = events.filter((e) => e.kind === 'reply');
    expect(reads.map((r) => (r.kind === 'read' ? [r.length, r.requested] : null))).toEqual([[21, 1024]]);
    expect(replies.map((r) => (r.kind === 'reply' ? r.length : null))).toEqual([12]);
    expect(events.find((e) => e.kind === 'open')).toMatchObject({ origin: 'watched', watch: { port: 5055, pid: child.pid } });
  }, 300000);
});

describe.runIf(hasGo)('a Go server of ours', () => {
  it('buffer 7: three reads of 7 (strace)', async () => {
    const srv = await startServer([goBuild(), '0', '7']);
    cleanup.push(() => srv.kill());
    const scope = await watchedScope(srv.port, 'strace');
    const socket = net.connect({ port: srv.port, host: '127.0.0.1' });
    await once(socket, 'connect');
    const closed = eventsUntil(scope, (all) => all.some((e) => e.kind === 'close'), 30000, 'the connection to close');
    corkedWrites(socket, ['Hello1\n', 'Hello2\n', 'Hello3\n']);
    let got = '';
    socket.on('data', (d) => (got += d.toString()));
    await until(() => got === 'Received: 7'.repeat(3), 20000, 'three replies');
    socket.end();
    const events = await closed;
    expect(events.filter((e) => e.kind === 'read').map((r) => (r.kind === 'read' ? [r.length, r.requested] : null))).toEqual([
      [7, 7],
      [7, 7],
      [7, 7],
    ]);
    const conns = (await json<Connection[]>(scope, 'GET', '/api/connections')).body;
    // Go reads until EAGAIN: the last read of each burst found nothing, and is counted, not shown.
    expect(conns.find((c) => c.origin === 'watched')!.wouldBlock).toBeGreaterThan(0);
  }, 300000);

  it('100 MB through a watched server (eBPF): the read lengths add up to the bytes sent, exactly', async () => {
    const srv = await startServer([goBuild(), '0', '65536']);
    cleanup.push(() => srv.kill());
    const scope = await watchedScope(srv.port, 'ebpf');
    const TOTAL = 100 * 1024 * 1024;
    // Every read event of the connection, as [offset, length]: offsets come from the kernel's totals.
    const reads: [number, number][] = [];
    let connId = 0;
    let replies = 0;
    const stop = scope.recorder.onChunk((kind, conn, seq) => {
      if (conn.origin !== 'watched') return;
      if (kind === 'reply') replies++;
      if (kind !== 'read') return;
      connId = conn.id;
      const e = scope.recorder.store.bySeq(seq) as { offset: number; length: number };
      reads.push([e.offset, e.length]);
    });
    cleanup.push(stop);
    const closed = eventsUntil(scope, (all) => all.some((e) => e.kind === 'close' && e.connId === connId), 240000, 'the 100 MB connection to close');
    const socket = net.connect({ port: srv.port, host: '127.0.0.1' });
    socket.resume(); // replies are read and dropped
    await once(socket, 'connect');
    const block = Buffer.alloc(1024 * 1024, 0x61);
    for (let i = 0; i < 100; i++) if (!socket.write(block)) await once(socket, 'drain');
    socket.end();
    await closed;
    const conn = (await json<Connection[]>(scope, 'GET', '/api/connections')).body.find((c) => c.id === connId)!;
    // The kernel's count is exact whatever the output ring dropped.
    expect(conn.bytesRead).toBe(TOTAL);
    // Every call, read or reply, is an event, or counted as lost, or as summarised (past the detail budget).
    expect(conn.reads + conn.replies).toBe(reads.length + replies + conn.eventsLost! + (conn.eventsSummarised ?? 0));
    // Events tile the stream (in offset order: lines from two CPUs may come out of order): never
    // overlapping; gaps are where lines were lost (their calls are in the counters), none when none was.
    let end = 0;
    let gaps = 0;
    for (const [offset, length] of [...reads].sort((a, b) => a[0] - b[0])) {
      expect(offset).toBeGreaterThanOrEqual(end);
      gaps += offset - end;
      end = offset + length;
    }
    expect(end).toBeLessThanOrEqual(TOTAL);
    gaps += TOTAL - end;
    const sum = reads.reduce((a, [, l]) => a + l, 0);
    if (conn.eventsLost === 0 && !conn.eventsSummarised) expect(sum).toBe(TOTAL);
    else expect(gaps).toBeGreaterThan(0);
  }, 600000);
});

describe('Python asyncio and Node servers (strace)', () => {
  it.each([
    ['python asyncio', ['python3', path.join(here, 'servers/python/asyncio_server.py'), '0', '1024']],
    ['node net', [process.execPath, path.join(here, 'servers/node/net-server.mjs'), '0', '1024']],
  ])('%s: the three quick writes arrive as one read of 21', async (_name, argv) => {
    const srv = await startServer(argv);
    cleanup.push(() => srv.kill());
    const scope = await watchedScope(srv.port, 'strace');
    const closed = eventsUntil(scope, (all) => all.some((e) => e.kind === 'close'), 30000, 'the connection to close');
    expect(await threeWrites(srv.port)).toBe('Received: 21');
    const events = await closed;
    expect(events.filter((e) => e.kind === 'read').map((r) => (r.kind === 'read' ? r.length : null))).toEqual([21]);
    expect(events.filter((e) => e.kind === 'reply').map((r) => (r.kind === 'reply' ? r.length : null))).toEqual([12]);
  }, 300000);
});

/** The pids of `pid`'s children. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      out.push(...readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
    } catch {
      // thread gone
    }
  }
  return out;
}

describe.each(['ebpf', 'strace'] as const)('tcpscope killed outright while tracing via %s', (mechanism) => {
  it('the watched server goes on serving, and the tracer is gone', async () => {
    const srv = await startServer(['python3', path.join(here, 'servers/python/blocking_server.py'), '0', '1024']);
    cleanup.push(() => srv.kill());
    // A real tcpscope process, started as `npm start` would (the mechanism pinned through the test hook below).
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'watch-main.ts'), String(srv.port), mechanism], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanup.push(() => void child.kill('SIGKILL'));
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await until(() => out.includes('attached'), ATTACH_MS, `tcpscope to attach via ${mechanism}`);
    expect(await threeWrites(srv.port)).toBe('Received: 21');
    const tracers = childrenOf(child.pid!);
    expect(tracers.length).toBeGreaterThan(0);
    child.kill('SIGKILL');
    await once(child, 'exit');
    await until(() => tracers.every((p) => !existsSync(`/proc/${p}`) || readFileSync(`/proc/${p}/stat`, 'utf8').includes(') Z')), 20000, 'the tracer to die with tcpscope');
    expect(await threeWrites(srv.port)).toBe('Received: 21');
    expect(srv.child.exitCode).toBeNull();
  }, 300000);
});
