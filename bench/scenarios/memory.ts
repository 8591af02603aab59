// Memory of tcpscope as `npm start` runs it (capture on, reply ack), each case in a fresh process:
// idle, five seconds after start with one WebSocket subscriber (what a page costs at rest); and four
// peers flooding at buffer 7 for ten seconds with one subscriber reading (the capture path under the
// most segments per byte: every 7-byte read gets its own `Received: 7` segment).
import { startWatchers } from '../clients/watchers-process.ts';
import { type BenchContext, sleep } from '../context.ts';
import { stream } from '../loadgen/loadgen-runner.ts';
import { peakRssBytes, rssBytes, sampleRss } from '../proc-stats.ts';
import { startTcpscopeProcess } from '../servers.ts';

export interface MemoryResults {
  /** RSS five seconds after the server printed its addresses, one subscriber connected. */
  idleRss: number;
  idleAfterMs: number;
  fourPeers: {
    conns: number;
    bufferSize: number;
    seconds: number;
    bytesSent: number;
    rssStart: number;
    rssPeak: number;
    rssAfter: number;
    /** tcpscope's counted bytes equal what the peers sent (and their acks add up to it). */
    exact: boolean;
    /** The capture's own counters after the flood (GET /api/capture). */
    capture: Record<string, unknown> | null;
  };
}

export async function runMemory(ctx: BenchContext): Promise<MemoryResults> {
  const { idleAfterMs, peers, peerBufferSize, peerSeconds, settleMs } = ctx.plan.memory;
  ctx.progress.step('memory', 'idle: a fresh tcpscope with one subscriber');
  const idle = await startTcpscopeProcess({ bufferSize: 1024, reply: 'ack' });
  const started = Date.now();
  let idleRss: number;
  try {
    const w = await startWatchers(idle.httpUrl!);
    await w.set(1);
    await sleep(Math.max(0, idleAfterMs - (Date.now() - started)));
    idleRss = rssBytes(idle.pid);
    await w.stop();
  } finally {
    await idle.stop();
  }
  ctx.progress.tick();

  ctx.progress.step('memory', `${peers} peers flooding at buffer ${peerBufferSize} for ${peerSeconds} s`);
  const server = await startTcpscopeProcess({ bufferSize: peerBufferSize, reply: 'ack', cpuProfDir: ctx.cpuProfDir && `${ctx.cpuProfDir}/four-peers` });
  try {
    const w = await startWatchers(server.httpUrl!);
    await w.set(1);
    await sleep(300); // tcpdump starting
    const rssStart = rssBytes(server.pid);
    const sampler = sampleRss(server.pid, 50);
    await server.mark();
    const r = await stream(ctx.lg, { port: server.tcpPort, conns: peers, bytesPerConn: 2 ** 40, reply: 'ack', maxSeconds: peerSeconds });
    const totals = await server.totalRead();
    await sleep(settleMs);
    const rssPeak = Math.max(sampler.stop(), peakRssBytes(server.pid));
    const rssAfter = rssBytes(server.pid);
    const capture = (await server.captureDetail()) ?? null;
    await w.stop();
    ctx.progress.tick();
    return {
      idleRss,
      idleAfterMs,
      fourPeers: {
        conns: peers,
        bufferSize: peerBufferSize,
        seconds: peerSeconds,
        bytesSent: r.bytesSent,
        rssStart,
        rssPeak,
        rssAfter,
        exact: totals.bytesRead === r.bytesSent && r.ackedBytes === r.bytesSent,
        capture,
      },
    };
  } finally {
    await server.stop();
  }
}
