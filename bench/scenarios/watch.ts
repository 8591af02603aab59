// The cost of watching: a Go server (buffer 1024, "Received: N" per read) measured unwatched, then watched
// via eBPF and via strace, in one run: stream throughput (MB/s) and ping-pong round trips (7-byte message,
// wait for the reply). `npx tsx bench/scenarios/watch.ts [MB] [pings]` prints a JSON summary.
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startTcpscope } from '../../server/app.ts';
import type { WatchMechanism } from '../../shared/watch.ts';
import { startServer } from '../../test/watch/watch-helpers.ts';

const here = path.dirname(new URL(import.meta.url).pathname);

async function stream(port: number, bytes: number): Promise<number> {
  const socket = net.connect({ port, host: '127.0.0.1' });
  socket.resume();
  await once(socket, 'connect');
  const block = Buffer.alloc(1024 * 1024, 0x61);
  const start = process.hrtime.bigint();
  for (let sent = 0; sent < bytes; sent += block.length) if (!socket.write(block)) await once(socket, 'drain');
  socket.end();
  await once(socket, 'close');
  return bytes / 1e6 / (Number(process.hrtime.bigint() - start) / 1e9);
}

async function pingPong(port: number, count: number): Promise<number> {
  const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
  await once(socket, 'connect');
  const rtts: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    socket.write('Hello1\n');
    await once(socket, 'data');
    rtts.push(Number(process.hrtime.bigint() - t0) / 1e3);
  }
  socket.destroy();
  rtts.sort((a, b) => a - b);
  return rtts[Math.floor(rtts.length / 2)]!;
}

export async function runWatchBench(mb = 100, pings = 2000, mechanisms: WatchMechanism[] = ['ebpf', 'strace']): Promise<Record<string, { mbps: number; medianRttUs: number; ratio: number }>> {
  const bin = path.join(mkdtempSync(path.join(os.tmpdir(), 'tcpscope-bench-')), 'server');
  execFileSync('go', ['build', '-o', bin, 'main.go'], { cwd: path.join(here, '../../test/watch/servers/go'), env: { ...process.env, GO111MODULE: 'off' } });
  const srv = await startServer([bin, '0', '1024']);
  const out: Record<string, { mbps: number; medianRttUs: number; ratio: number }> = {};
  try {
    const base = { mbps: await stream(srv.port, mb * 1e6), medianRttUs: await pingPong(srv.port, pings) };
    out.unwatched = { ...base, ratio: 1 };
    for (const mechanism of mechanisms) {
      const scope = await startTcpscope({ httpPort: 0, tcpPort: 0, staticDir: '/nonexistent', capture: false, watchMechanisms: [mechanism] });
      try {
        scope.watches.add(srv.port);
        await scope.watches.whenAttached(srv.port);
        const mbps = await stream(srv.port, (mechanism === 'strace' ? mb / 10 : mb) * 1e6);
        out[mechanism] = { mbps, medianRttUs: await pingPong(srv.port, pings), ratio: mbps / base.mbps };
      } finally {
        await scope.close();
      }
    }
  } finally {
    await srv.kill();
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(here, 'watch.ts')) {
  const mechanisms = (process.argv[4] ?? 'ebpf,strace').split(',') as WatchMechanism[];
  const result = await runWatchBench(Number(process.argv[2] ?? 100), Number(process.argv[3] ?? 2000), mechanisms);
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
