// Watching real server programs: their reads and writes, traced by eBPF and by strace, become the same
// events and connections as the echo server's own.
import net from 'node:net';
import { once } from 'node:events';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Tcpscope } from '../../server/app.ts';
import type { Connection } from '../../shared/connections.ts';
import type { WatchMechanism } from '../../shared/watch.ts';
import { corkedWrites, json, startTestScope } from '../helpers.ts';
import { eventsUntil, type ServerProcess, startServer, until, within } from './watch-helpers.ts';

const here = path.dirname(new URL(import.meta.url).pathname);
const PY_BLOCKING = path.join(here, 'servers/python/blocking_server.py');
// bpftrace compiles its program first: seconds on an idle machine, a minute on a loaded one.
const ATTACH_MS = 150000;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function watchedScope(port: number, mechanism: WatchMechanism): Promise<Tcpscope> {
  const scope = await startTestScope({ watchMechanisms: [mechanism] });
  cleanup.push(() => scope.close());
  const res = await json<{ port: number; state: string }>(scope, 'POST', '/api/watches', { port });
  expect(res.status).toBe(201);
  expect(res.body.port).toBe(port);
  const w = await within(scope.watches.whenAttached(port), ATTACH_MS, `the watch on ${port} to attach via ${mechanism}`);
  expect(w.via).toBe(mechanism);
  return scope;
}

async function server(argv: string[]): Promise<ServerProcess> {
  const s = await startServer(argv);
  cleanup.push(() => s.kill());
  return s;
}

/** The tutorial's client: three quick writes in one segment, then read the reply and close. */
async function threeWrites(port: number): Promise<{ reply: string; localPort: number }> {
  const socket = net.connect({ port, host: '127.0.0.1' });
  await once(socket, 'connect');
  corkedWrites(socket, ['Hello1\n', 'Hello2\n', 'Hello3\n']);
  const [data] = (await once(socket, 'data')) as [Buffer];
  const localPort = socket.localPort!;
  socket.end();
  await once(socket, 'close');
  return { reply: data.toString(), localPort };
}


describe.each(['ebpf', 'strace'] as const)('watching a Python blocking server via %s', (mechanism) => {
  it('three quick writes: one read of 21 (requested 1024) and one reply of 12', async () => {
    const srv = await server(['python3', PY_BLOCKING, '0', '1024']);
    const scope = await watchedScope(srv.port, mechanism);
    const collected = eventsUntil(scope, (all) => all.some((e) => e.kind === 'close'), 20000, 'the watched connection to close');
    const { reply } = await threeWrites(srv.port);
    expect(reply).toBe('Received: 21');
    const events = await collected;
    const open = events.find((e) => e.kind === 'open')!;
    expect(open).toMatchObject({ origin: 'watched', localPort: srv.port, watch: { port: srv.port, pid: srv.pid } });
    const reads = events.filter((e) => e.kind === 'read' && e.connId === open.connId);
    const replies = events.filter((e) => e.kind === 'reply' && e.connId === open.connId);
    expect(reads.map((r) => [r.kind === 'read' && r.length, r.kind === 'read' && r.requested])).toEqual([[21, 1024]]);
    expect(Buffer.from((reads[0] as { bytes: Uint8Array }).bytes).toString()).toBe('Hello1\nHello2\nHello3\n');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ length: 12, offset: 0 });
    expect(Buffer.from((replies[0] as { bytes: Uint8Array }).bytes).toString()).toBe('Received: 21');
    const conns = await json<Connection[]>(scope, 'GET', '/api/connections');
    const conn = conns.body.find((c) => c.id === open.connId)!;
    expect(conn).toMatchObject({ origin: 'watched', reads: 1, bytesRead: 21, replies: 1, bytesReplied: 12, midStream: false, state: 'closed', closeReason: 'end' });
  }, 300000);

  it('buffer 7: three reads of 7', async () => {
    const srv = await server(['python3', PY_BLOCKING, '0', '7']);
    const scope = await watchedScope(srv.port, mechanism);
    const collected = eventsUntil(scope, (all) => all.some((e) => e.kind === 'close'), 20000, 'the watched connection to close');
    const socket = net.connect({ port: srv.port, host: '127.0.0.1' });
    await once(socket, 'connect');
    corkedWrites(socket, ['Hello1\n', 'Hello2\n', 'Hello3\n']);
    let got = '';
    socket.on('data', (d) => (got += d.toString()));
    await until(() => got === 'Received: 7'.repeat(3), 20000, 'three replies');
    socket.end();
    const events = await collected;
    const reads = events.filter((e) => e.kind === 'read');
    expect(reads.map((r) => (r.kind === 'read' ? [r.length, r.requested, r.offset] : null))).toEqual([
      [7, 7, 0],
      [7, 7, 7],
      [7, 7, 14],
    ]);
  }, 300000);
});

describe('the watched server keeps serving, and a restart is picked up', () => {
  it('survives removal of the watch, and a new process on the port is attached with its pid', async () => {
    const first = await startServer(['python3', PY_BLOCKING, '0', '1024']);
    const port = first.port;
    cleanup.push(() => first.kill());
    const scope = await watchedScope(port, 'ebpf');
    const tracer = scope.watches.tracerPid(port);
    expect(tracer).not.toBeNull();
    expect((await threeWrites(port)).reply).toBe('Received: 21');
    // Restart: the old process exits, a new one listens on the same port.
    await first.kill();
    const second = await server(['python3', PY_BLOCKING, String(port), '1024']);
    // The running eBPF program follows the port: no new program to compile, so the deadline is the
    // listen line's, not a compile's.
    const attached = await until(
      () => scope.watches.get(port)?.state === 'attached' && scope.watches.get(port)?.pid === second.pid && scope.watches.get(port),
      20000,
      `the watch to attach to the new pid ${second.pid} (the running eBPF program following the port)`,
    );
    expect(attached).toMatchObject({ pid: second.pid, via: 'ebpf', command: expect.stringContaining('blocking_server.py') });
    expect(scope.watches.tracerPid(port)).toBe(tracer);
    const closed = eventsUntil(scope, (all) => all.some((e) => e.kind === 'close' && e.connId !== undefined && all.some((o) => o.kind === 'open' && o.connId === e.connId && o.watch?.pid === second.pid)), 20000, 'a connection of the new process to close');
    expect((await threeWrites(port)).reply).toBe('Received: 21');
    const events = await closed;
    const open = events.find((e) => e.kind === 'open' && e.watch?.pid === second.pid)!;
    expect(open).toMatchObject({ watch: { pid: second.pid } });
    // The new process's own read: one of 21, asked for 1024.
    expect(events.filter((e) => e.kind === 'read' && e.connId === open.connId).map((e) => [e.kind === 'read' && e.length, e.kind === 'read' && e.requested])).toEqual([[21, 1024]]);
    // Removal detaches; the server goes on serving.
    const del = await fetch(`${scope.httpUrl}/api/watches/${port}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect((await json<unknown[]>(scope, 'GET', '/api/watches')).body).toEqual([]);
    expect((await threeWrites(port)).reply).toBe('Received: 21');
    expect(second.child.exitCode).toBeNull();
  }, 600000);
});

describe('the API', () => {
  let scope: Tcpscope;
  afterAll(async () => scope?.close());
  it('400 for a bad port or the echo port, 409 when watched already, 404 to remove what is not watched', async () => {
    scope = await startTestScope();
    const bad = await json<{ message: string }>(scope, 'POST', '/api/watches', { port: 70000 });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^body\.port: /);
    const own = await json<{ message: string }>(scope, 'POST', '/api/watches', { port: scope.tcpPort });
    expect(own.status).toBe(400);
    expect(own.body.message).toMatch(/^body\.port: .*echo server/);
    // Nothing listens on a port we just freed: the watch waits.
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const free = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const created = await json<{ state: string; pid: number | null }>(scope, 'POST', '/api/watches', { port: free });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'waiting', pid: null });
    const again = await fetch(`${scope.httpUrl}/api/watches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ port: free }) });
    // The shared refusal (server/security/refuse.ts): the API's error shape, never cached.
    expect(again.status).toBe(409);
    expect(again.headers.get('cache-control')).toBe('no-store');
    expect(await again.json()).toEqual({ statusCode: 409, error: 'Conflict', message: `body.port: ${free} is watched already` });
    expect((await fetch(`${scope.httpUrl}/api/watches/${free}`, { method: 'DELETE' })).status).toBe(204);
    const gone = await fetch(`${scope.httpUrl}/api/watches/${free}`, { method: 'DELETE' });
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ statusCode: 404, error: 'Not Found', message: `params.port: ${free} is not watched` });
  });
});

describe('bursts to a watched server', () => {
  it('POST /api/bursts {port}: the writes and the server reads are one connection; 400 for an unwatched port', async () => {
    const srv = await server(['python3', PY_BLOCKING, '0', '1024']);
    const scope = await watchedScope(srv.port, 'strace');
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const other = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const refused = await json<{ message: string }>(scope, 'POST', '/api/bursts', { port: other });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/^body\.port: /);
    const closed = eventsUntil(scope, (all) => all.some((e) => e.kind === 'close'), 30000, 'the burst connection to close');
    const res = await json<{ connId: number }>(scope, 'POST', '/api/bursts', { port: srv.port });
    expect(res.status).toBe(202);
    const events = (await closed).filter((e) => e.connId === res.body.connId);
    expect(events.map((e) => e.kind)).toEqual(['open', 'write', 'write', 'write', 'read', 'reply', 'close']);
    expect(events.find((e) => e.kind === 'read')).toMatchObject({ length: 21, requested: 1024 });
  }, 300000);
});
