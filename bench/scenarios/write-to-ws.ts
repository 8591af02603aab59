// From a client's write to the matching read event arriving at a WebSocket subscriber, timed by one
// clock in this process: a raw TCP client writes a short line, and the subscriber waits for the read
// event of that connection whose offset range covers the line's first byte.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { ServerMessage } from '../../shared/live.ts';
import { type BenchContext, sleep } from '../context.ts';
import { percentile } from '../stats.ts';

export interface WriteToWsResult {
  samples: number;
  lost: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  batchIntervalMs: number;
}

interface Waiting {
  offset: number;
  resolve(t: number): void;
}

export type WriteToWsResults = Partial<Record<'tcpscope' | 'nocapture', WriteToWsResult>>;

export async function runWriteToWs(ctx: BenchContext, batchIntervalMs: number): Promise<WriteToWsResults> {
  return {
    tcpscope: await timeWrites(ctx, 'tcpscope', batchIntervalMs),
    nocapture: await timeWrites(ctx, 'nocapture', batchIntervalMs),
  };
}

async function timeWrites(ctx: BenchContext, kind: 'tcpscope' | 'nocapture', batchIntervalMs: number): Promise<WriteToWsResult> {
  const { samples, maxGapMs, timeoutMs } = ctx.plan.writeToWs;
  const server = ctx.servers[kind];
  await server.configure(1024, 'ack');
  ctx.progress.step('write-to-ws', `${kind}: ${samples} writes, each timed to its read event on /ws`);

  const ws = new WebSocket(server.httpUrl!.replace(/^http:/, 'ws:') + '/ws', { perMessageDeflate: false });
  let connId = -1;
  let localPort = -1;
  let waiting: Waiting | null = null;
  let resolveConnId: (() => void) | null = null;
  ws.on('message', (data: Buffer) => {
    const t = performance.now();
    const msg = JSON.parse(data.toString()) as ServerMessage;
    if (msg.type !== 'batch' && msg.type !== 'snapshot') return;
    for (const e of msg.events) {
      if (e.kind === 'open' && e.remotePort === localPort && connId < 0) {
        connId = e.connId;
        resolveConnId?.();
      } else if (e.kind === 'read' && e.connId === connId && waiting) {
        if (e.offset <= waiting.offset && waiting.offset < e.offset + e.length) {
          const w = waiting;
          waiting = null;
          w.resolve(t);
        }
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });

  const socket = net.connect({ host: '127.0.0.1', port: server.tcpPort, noDelay: true });
  socket.on('data', () => {}); // the acks
  const known = new Promise<void>((resolve) => (resolveConnId = resolve));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  localPort = socket.localPort!;
  await Promise.race([known, sleep(timeoutMs)]);
  if (connId < 0) throw new Error('write-to-ws: the open event never reached the subscriber');

  const latencies: number[] = [];
  let lost = 0;
  let offset = 0;
  for (let i = 0; i < samples; i++) {
    await sleep(Math.random() * maxGapMs);
    const line = Buffer.from(`w${String(i).padStart(6, '0')}\n`);
    const arrived = new Promise<number>((resolve) => (waiting = { offset, resolve }));
    const t0 = performance.now();
    socket.write(line);
    offset += line.length;
    const t1 = await Promise.race([arrived, sleep(timeoutMs).then(() => -1)]);
    if (t1 < 0) {
      lost++;
      waiting = null;
    } else latencies.push(t1 - t0);
  }
  socket.destroy();
  ws.close();
  ctx.progress.tick();
  return {
    samples: latencies.length,
    lost,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    maxMs: percentile(latencies, 1),
    batchIntervalMs,
  };
}
