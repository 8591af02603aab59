// The cost of watching: a Go server (buffer 1024, "Received: N" per read) measured unwatched and watched
// via eBPF and via strace, in one run: stream throughput (MB/s) and ping-pong round trips (7-byte message,
// wait for the reply). Each watched figure is set against the unwatched ones measured just before and
// just after it (the machine's load drifts). The ratios go to bench/results/watch-slowdown.json, which
// tcpscope reads at start and shows on each watch (server/watch/slowdown-file.ts).
//
// `npx tsx bench/scenarios/watch.ts [MB] [pings] [ebpf,strace]` prints a JSON summary; `npm run bench`
// runs it as the `watch` section (bench/run.ts).
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startTcpscope } from '../../server/app.ts';
import { readSlowdown, SLOWDOWN_FILE, type SlowdownFile } from '../../server/watch/slowdown-file.ts';
import type { WatchMechanism } from '../../shared/watch.ts';
import { startServer } from '../../test/watch/watch-helpers.ts';

const here = path.dirname(new URL(import.meta.url).pathname);

export interface WatchCase {
  mechanism: WatchMechanism;
  /** MB/s streamed through the server watched, and unwatched (mean of just before and just after). */
  mbps: number;
  baseMbps: number;
  /** Median ping-pong round trip, µs, watched and unwatched. */
  medianRttUs: number;
  baseRttUs: number;
  /** Watched ÷ unwatched throughput. */
  ratio: number;
  /** Seconds from POST to attached (bpftrace compiles its program; strace attaches at once). */
  attachSec: number;
}

export interface WatchBenchResults {
  bufferSize: number;
  mb: number;
  pings: number;
  cases: WatchCase[];
}

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

export interface WatchBenchOptions {
  mb?: number;
  pings?: number;
  mechanisms?: WatchMechanism[];
  /** Called before each step (the bench's progress line). */
  step?: (detail: string) => void;
  /** Where the ratios go for tcpscope to show; null: nowhere. */
  slowdownFile?: string | null;
}

export async function runWatchBench(options: WatchBenchOptions = {}): Promise<WatchBenchResults> {
  const { mb = 100, pings = 2000, mechanisms = ['ebpf', 'strace'], step = () => {} } = options;
  const bufferSize = 1024;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tcpscope-bench-watch-'));
  const bin = path.join(dir, 'server');
  execFileSync('go', ['build', '-o', bin, 'main.go'], { cwd: path.join(here, '../../test/watch/servers/go'), env: { ...process.env, GO111MODULE: 'off' } });
  const srv = await startServer([bin, '0', String(bufferSize)]);
  const cases: WatchCase[] = [];
  const unwatched = async (bytes: number) => ({ mbps: await stream(srv.port, bytes), rtt: await pingPong(srv.port, pings) });
  try {
    for (const mechanism of mechanisms) {
      // strace is 20-50× slower: a tenth of the bytes keeps its run short, and MB/s is MB/s.
      const bytes = (mechanism === 'strace' ? mb / 10 : mb) * 1e6;
      step(`unwatched, before ${mechanism}`);
      const before = await unwatched(bytes);
      step(`watched via ${mechanism} (attaching)`);
      const scope = await startTcpscope({ httpPort: 0, tcpPort: 0, staticDir: '/nonexistent', capture: false, watchMechanisms: [mechanism] });
      let watched: { mbps: number; rtt: number; attachSec: number };
      try {
        const t0 = performance.now();
        scope.watches.add(srv.port);
        const w = await scope.watches.whenAttached(srv.port);
        if (w.via !== mechanism) throw new Error(`watch attached via ${w.via}, not ${mechanism}`);
        const attachSec = (performance.now() - t0) / 1000;
        step(`watched via ${mechanism}`);
        watched = { mbps: await stream(srv.port, bytes), rtt: await pingPong(srv.port, pings), attachSec };
      } finally {
        await scope.close();
      }
      step(`unwatched, after ${mechanism}`);
      const after = await unwatched(bytes);
      const baseMbps = (before.mbps + after.mbps) / 2;
      cases.push({
        mechanism,
        mbps: watched.mbps,
        baseMbps,
        medianRttUs: watched.rtt,
        baseRttUs: (before.rtt + after.rtt) / 2,
        ratio: watched.mbps / baseMbps,
        attachSec: watched.attachSec,
      });
    }
  } finally {
    await srv.kill();
    rmSync(dir, { recursive: true, force: true });
  }
  const file = options.slowdownFile === undefined ? SLOWDOWN_FILE : options.slowdownFile;
  if (file) writeSlowdownFile(file, cases);
  return { bufferSize, mb, pings, cases };
}

/** Keeps the figure of a mechanism not measured this time (a run with only one of them). */
function writeSlowdownFile(file: string, cases: WatchCase[]): void {
  const out: SlowdownFile = { measuredAt: new Date().toISOString(), ratio: { ...readSlowdown(file) } };
  for (const c of cases) out.ratio[c.mechanism] = Math.round(c.ratio * 1000) / 1000;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(here, 'watch.ts')) {
  const mechanisms = (process.argv[4] ?? 'ebpf,strace').split(',') as WatchMechanism[];
  const result = await runWatchBench({ mb: Number(process.argv[2] ?? 100), pings: Number(process.argv[3] ?? 2000), mechanisms, step: (d) => process.stderr.write(`${d}\n`) });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
