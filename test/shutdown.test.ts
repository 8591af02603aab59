// SIGTERM and SIGINT on the real process, started as `npm start` starts it, with echo connections
// and live subscribers open (one of them gone silent): it stops accepting, tells browsers "going
// away" (1001), closes the TCP connections and exits 0, well within 5 s.
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

describe('shutdown', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s with connections and subscribers open: WS clients see 1001, TCP peers are closed, exit 0 within 5 s',
    async (signal) => {
      const run = await startProcess();
      try {
        const subs = await Promise.all([1, 2, 3].map(() => subscriber(run.httpUrl)));
        const conns = await Promise.all([1, 2, 3].map(() => echoConnection(run.tcpPort)));
        // And one that vanished without a word: it will never answer the close frame.
        const vanished = await silentWsPeer(Number(new URL(run.httpUrl).port));

        const started = performance.now();
        run.child.kill(signal);
        const codes = await Promise.all(subs.map((s) => s.closeCode));
        await Promise.all(conns.map((c) => c.closed));
        const { code } = await run.exited;
        const elapsed = performance.now() - started;

        expect(codes).toEqual([1001, 1001, 1001]);
        expect(code, run.output()).toBe(0);
        expect(elapsed).toBeLessThan(5000);
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
});
