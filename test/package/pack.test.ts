// Installable as a command: the packed tarball, installed into an empty folder, runs as `tcpscope`
// with the built page, the compiled server and only the runtime dependencies, and does what the clone
// does (the tutorial's three quick writes are one read of 21). One pack and one install per run.
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { once } from 'node:events';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InstalledPackage, packAndInstall, type RunningCommand, startInstalled } from './installed-tcpscope.ts';
import { type ServerProcess, startServer, until } from '../watch/watch-helpers.ts';

const PY_BLOCKING = path.join(path.dirname(new URL(import.meta.url).pathname), '../watch/servers/python/blocking_server.py');
// bpftrace compiles its program first: seconds on an idle machine, a minute on a loaded one.
const ATTACH_DEADLINE_MS = 150_000;

const PACK_AND_INSTALL_DEADLINE_MS = 300_000;

/** Writes the tutorial's three lines corked (they leave in one segment) and resolves with the reply. */
async function tutorialBurst(port: number): Promise<string> {
  const socket = net.connect({ port, host: '127.0.0.1' });
  try {
    await once(socket, 'connect');
    socket.cork();
    for (const line of ['Hello1\n', 'Hello2\n', 'Hello3\n']) socket.write(line);
    socket.uncork();
    const [reply] = (await once(socket, 'data')) as [Buffer];
    return reply.toString();
  } finally {
    socket.destroy();
  }
}

describe('the packed package, installed into an empty folder', () => {
  let pkg: InstalledPackage;

  beforeAll(async () => {
    pkg = await packAndInstall();
  }, PACK_AND_INSTALL_DEADLINE_MS);

  afterAll(() => pkg?.remove());

  it('installs without a warning and with the runtime dependencies only', () => {
    expect(pkg.installOutput).not.toMatch(/npm warn/i);
    const modules = path.join(pkg.dir, 'node_modules');
    for (const runtime of ['fastify', '@fastify/static', '@fastify/websocket', '@fastify/helmet', 'ws', 'zod']) {
      expect(existsSync(path.join(modules, runtime)), `${runtime} installed`).toBe(true);
    }
    for (const buildOnly of ['react', 'react-dom', 'recharts', 'vite', 'tsx', 'esbuild', 'typescript', 'vitest']) {
      expect(existsSync(path.join(modules, buildOnly)), `${buildOnly} not installed`).toBe(false);
    }
    const installed = path.join(modules, 'tcpscope');
    expect(existsSync(path.join(installed, 'dist/web/index.html'))).toBe(true);
    expect(existsSync(path.join(installed, 'dist/node/server/main.js'))).toBe(true);
    expect(existsSync(path.join(installed, 'server')), 'no TypeScript sources shipped').toBe(false);
    expect(readFileSync(path.join(installed, 'bin/tcpscope.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env -S GLIBC_TUNABLES=\S+ node --max-semi-space-size=2\n/);
  });

  describe('tcpscope --http-port 0 --tcp-port 0 --no-capture', () => {
    let run: RunningCommand;

    beforeAll(async () => {
      run = await startInstalled(pkg, ['--http-port', '0', '--tcp-port', '0', '--no-capture']);
    });

    afterAll(async () => {
      if (run && run.child.exitCode === null && run.child.signalCode === null) process.kill(-run.child.pid!, 'SIGKILL');
    });

    it('serves its config and the built page', async () => {
      const config = await fetch(`${run.httpUrl}/api/config`);
      expect(config.status).toBe(200);
      expect(await config.json()).toMatchObject({ bufferSize: 1024, replyMode: 'ack', paused: false });
      const page = await fetch(`${run.httpUrl}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<div id="root">/);
    });

    it('reads the tutorial’s three quick writes as one read of 21 on its echo port', async () => {
      expect(await tutorialBurst(run.tcpPort)).toBe('Received: 21');
      const events = (await (await fetch(`${run.httpUrl}/api/events?kind=read`)).json()) as { length: number }[];
      expect(events.map((e) => e.length)).toEqual([21]);
    });

    it('stops on SIGTERM with exit status 0', async () => {
      const { code, signal } = await run.stop();
      expect({ code, signal }, run.output()).toEqual({ code: 0, signal: null });
      expect(run.output()).toMatch(/SIGTERM, shutting down/);
    });
  });

  describe('tcpscope --http-port 0 --tcp-port 0, the wire capture on (the compiled capture thread)', () => {
    let run: RunningCommand;

    beforeAll(async () => {
      run = await startInstalled(pkg, ['--http-port', '0', '--tcp-port', '0']);
    });

    afterAll(async () => {
      if (run && run.child.exitCode === null && run.child.signalCode === null) process.kill(-run.child.pid!, 'SIGKILL');
    });

    it('captures the tutorial’s one segment of 21 bytes on its own thread, and stops with exit status 0', async () => {
      // The state is asked of the capture thread: active once its tcpdump listens (the thread's file is in the install).
      await until(async () => ((await (await fetch(`${run.httpUrl}/api/capture`)).json()) as { active: boolean }).active, 20_000, 'the capture to listen');
      expect(await tutorialBurst(run.tcpPort)).toBe('Received: 21');
      const data = await until(
        async () => {
          const segs = (await (await fetch(`${run.httpUrl}/api/events?kind=segment`)).json()) as { direction: string; payloadLength: number }[];
          return segs.find((e) => e.direction === 'c2s' && e.payloadLength > 0);
        },
        20_000,
        'the data segment',
      );
      expect(data.payloadLength).toBe(21);
      const { code, signal } = await run.stop();
      expect({ code, signal }, run.output()).toEqual({ code: 0, signal: null });
    });
  });

  describe('tcpscope --watch PORT, run from the install folder against a real server', () => {
    let srv: ServerProcess;
    let run: RunningCommand;

    beforeAll(async () => {
      srv = await startServer(['python3', PY_BLOCKING, '0', '1024']);
      run = await startInstalled(pkg, ['--http-port', '0', '--tcp-port', '0', '--no-capture', '--watch', String(srv.port)]);
    });

    afterAll(async () => {
      if (run && run.child.exitCode === null && run.child.signalCode === null) process.kill(-run.child.pid!, 'SIGKILL');
      await srv?.kill();
    });

    it('attaches to the server on the port and shows its read of 21 (requested 1024)', async () => {
      type W = { port: number; state: string; pid: number | null; via: string | null; reason: string | null };
      const attached = await until(
        async () => {
          const list = (await (await fetch(`${run.httpUrl}/api/watches`)).json()) as W[];
          const w = list.find((x) => x.port === srv.port);
          if (w?.state === 'unavailable') throw new Error(`the watch is unavailable: ${w.reason}\n${run.output()}`);
          return w?.state === 'attached' ? w : null;
        },
        ATTACH_DEADLINE_MS,
        `the installed tcpscope's watch on ${srv.port} to attach`,
      );
      expect(attached).toMatchObject({ pid: srv.pid, via: expect.stringMatching(/^(ebpf|strace)$/) });
      expect(await tutorialBurst(srv.port)).toBe('Received: 21');
      const read = await until(
        async () => {
          const events = (await (await fetch(`${run.httpUrl}/api/events?kind=read`)).json()) as { length: number; requested?: number; connId: number }[];
          return events.find((e) => e.length === 21) ?? null;
        },
        20_000,
        'the watched read of 21 in GET /api/events',
      );
      expect(read).toMatchObject({ length: 21, requested: 1024 });
      const conns = (await (await fetch(`${run.httpUrl}/api/connections`)).json()) as { id: number; origin: string; watch?: { pid: number } }[];
      expect(conns.find((c) => c.id === read.connId)).toMatchObject({ origin: 'watched', watch: { pid: srv.pid } });
      expect(srv.child.exitCode).toBeNull();
    }, ATTACH_DEADLINE_MS + 60_000);
  });
});
