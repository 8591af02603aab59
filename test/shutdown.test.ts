// SIGTERM and SIGINT on the real process, started as `npm start` starts it, with echo connections
// and live subscribers open (one of them gone silent), and dashboard requests that never finish (a header
// half sent, a body that never comes): it stops accepting, tells browsers "going away" (1001), closes the TCP
// connections and those requests, and exits 0. No clock is read here: main.ts exits 1 when shutdown has not
// finished 4.5 s after the signal, so exit status 0 is the proof that it finished within that bound.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { silentWsPeer } from './raw-clients.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Running {
  child: ChildProcess;
  httpUrl: string;
  tcpPort: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

/**
 * Starts `tsx server/main.ts` (what `npm start` runs) on free ports and reads the addresses it prints.
 * Not through npx: npm exec does not pass a signal on to the command it runs, while tsx does. In a
 * group of its own, so that a failed test can take down the whole tree.
 */
async function startProcess(): Promise<Running> {
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['server/main.ts', '--http-port', '0', '--tcp-port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  const addresses = new Promise<{ httpUrl: string; tcpPort: number }>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const http = /tcpscope dashboard: (http:\/\/\S+?)\/\s/.exec(out);
      const tcp = /tcpscope echo server: \S+?:(\d+)/.exec(out);
      if (http && tcp) resolve({ httpUrl: http[1]!, tcpPort: Number(tcp[1]) });
    });
    void exited.then(({ code }) => reject(new Error(`exited with ${code} before listening:\n${out}\n${err}`)));
  });
  const { httpUrl, tcpPort } = await addresses;
  return { child, httpUrl, tcpPort, exited, output: () => out + err };
}

async function subscriber(httpUrl: string): Promise<{ ws: WebSocket; closeCode: Promise<number> }> {
  const ws = new WebSocket(`${httpUrl.replace('http', 'ws')}/ws`);
  const closeCode = once(ws, 'close').then(([code]) => code as number);
  await new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve()); // the snapshot: the hub has it
    ws.once('error', reject);
  });
  return { ws, closeCode };
}

async function echoConnection(port: number): Promise<{ socket: net.Socket; closed: Promise<unknown> }> {
  const socket = net.connect({ port, host: '127.0.0.1' });
  await once(socket, 'connect');
  socket.write('Hello1\n');
  await once(socket, 'data'); // "Received: 7": the server has it open
  socket.on('error', () => {});
  return { socket, closed: once(socket, 'close') };
}

/** A dashboard request that never completes: its header cut off, or its body announced and never sent. */
async function unfinishedRequest(httpUrl: string, kind: 'header' | 'body'): Promise<{ closed: Promise<unknown> }> {
  const { hostname, port } = new URL(httpUrl);
  const socket = net.connect({ port: Number(port), host: hostname });
  await once(socket, 'connect');
  socket.on('error', () => {});
  const closed = once(socket, 'close');
  if (kind === 'header') socket.write(`GET /api/config HTTP/1.1\r\nHost: ${hostname}:${port}\r\nX-Half: `);
  else {
    socket.write(
      `POST /api/bursts HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"count":`,
    );
  }
  // The server has the connection once it answers another request: requests are accepted in order.
  await fetch(`${httpUrl}/api/config`);
  return { closed };
}

describe('shutdown', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s with connections and subscribers open: WS clients see 1001, TCP peers are closed, exit 0',
    async (signal) => {
      const run = await startProcess();
      try {
        const subs = await Promise.all([1, 2, 3].map(() => subscriber(run.httpUrl)));
        const conns = await Promise.all([1, 2, 3].map(() => echoConnection(run.tcpPort)));
        // And one that vanished without a word: it will never answer the close frame.
        const vanished = await silentWsPeer(Number(new URL(run.httpUrl).port));

        run.child.kill(signal);
        const codes = await Promise.all(subs.map((s) => s.closeCode));
        await Promise.all(conns.map((c) => c.closed));
        const { code } = await run.exited;

        expect(codes).toEqual([1001, 1001, 1001]);
        expect(code, `exit status (1 means shutdown hit its 4.5 s guard)\n${run.output()}`).toBe(0);
        expect(run.output()).toContain(`tcpscope: ${signal}, shutting down`);
        // Nothing listens any more.
        const refused = net.connect({ port: run.tcpPort, host: '127.0.0.1' });
        const [err] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
        expect(err.code).toBe('ECONNREFUSED');
        vanished.destroy();
      } finally {
        if (run.child.exitCode === null) process.kill(-run.child.pid!, 'SIGKILL');
      }
    },
    30_000,
  );

  it('SIGTERM with a header half sent and a body that never comes: those sockets are closed and it exits 0', async () => {
    const run = await startProcess();
    try {
      const pending = await Promise.all([unfinishedRequest(run.httpUrl, 'header'), unfinishedRequest(run.httpUrl, 'body')]);
      run.child.kill('SIGTERM');
      await Promise.all(pending.map((p) => p.closed));
      const { code } = await run.exited;
      expect(code, `exit status (1 means shutdown hit its 4.5 s guard waiting for the unfinished requests)\n${run.output()}`).toBe(0);
    } finally {
      if (run.child.exitCode === null) process.kill(-run.child.pid!, 'SIGKILL');
    }
  }, 30_000);
});
