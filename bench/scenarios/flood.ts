// A long stream into a fresh tcpscope while one WebSocket subscriber reads and another never does
// (its socket paused): the server's memory must stay bounded, its counters exact, and the stalled
// subscriber, once it resumes, told how many events it missed.
import WebSocket from 'ws';
import { startWatchers } from '../clients/watchers-process.ts';
import { type BenchContext, sleep } from '../context.ts';
import { stream } from '../loadgen/loadgen-runner.ts';
import { peakRssBytes, rssBytes, sampleRss } from '../proc-stats.ts';
import { startTcpscopeProcess } from '../servers.ts';

export type FloodResults = Partial<Record<'tcpscope' | 'nocapture', FloodResult>>;

export interface FloodResult {
  /** Bytes streamed: the plan's, unless the time limit stopped the stream first. */
  bytes: number;
  stoppedEarly: boolean;
  mbps: number;
  rssStart: number;
  rssPeak: number;
  rssAfter: number;
  bytesRead: number;
  reads: number;
  exact: boolean;
  /** The count in the `missed` message the stalled subscriber got after resuming; null if none came. */
  missed: number | null;
  /** Whether a fresh snapshot followed the `missed` message. */
  resynced: boolean;
}

export async function runFloods(ctx: BenchContext): Promise<FloodResults> {
  return { tcpscope: await runFlood(ctx, 'tcpscope'), nocapture: await runFlood(ctx, 'nocapture') };
}

async function runFlood(ctx: BenchContext, kind: 'tcpscope' | 'nocapture'): Promise<FloodResult> {
  const { bytes, bufferSize, settleMs, missedTimeoutMs, maxSeconds } = ctx.plan.flood;
  ctx.progress.step('flood', `starting a fresh ${kind}`);
  const server = await startTcpscopeProcess({ bufferSize, reply: 'none', cpuProfDir: ctx.cpuProfDir && `${ctx.cpuProfDir}/flood-${kind}` }, kind);
  const reader = await startWatchers(server.httpUrl!);
  try {
    await reader.set(1);
    let missed: number | null = null;
    let resynced = false;
    let sawMissed: (() => void) | null = null;
    const stalled = new WebSocket(server.httpUrl!.replace(/^http:/, 'ws:') + '/ws', { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      stalled.once('message', () => resolve()); // the snapshot
      stalled.once('error', reject);
    });
    stalled.on('message', (data: Buffer) => {
      const head = data.subarray(0, 24).toString();
      if (head.startsWith('{"type":"missed"')) missed = (JSON.parse(data.toString()) as { count: number }).count;
      else if (missed !== null && head.startsWith('{"type":"snapshot"')) {
        resynced = true;
        sawMissed?.();
      }
    });
    stalled.pause();
    const rssStart = rssBytes(server.pid);

    ctx.progress.step('flood', `${kind}: ${bytes / 2 ** 20} MiB on one connection, one subscriber stalled`);
    const sampler = sampleRss(server.pid, 50);
    const r = await stream(ctx.lg, { port: server.tcpPort, conns: 1, bytesPerConn: bytes, reply: 'none', maxSeconds });
    const counted = await server.readsOf(r.localPort);

    ctx.progress.step('flood', `${kind}: resuming the stalled subscriber`);
    const resumed = new Promise<void>((resolve) => (sawMissed = resolve));
    stalled.resume();
    await Promise.race([resumed, sleep(missedTimeoutMs)]);
    stalled.close();
    await sleep(settleMs);
    const rssPeak = Math.max(sampler.stop(), peakRssBytes(server.pid));
    const rssAfter = rssBytes(server.pid);
    ctx.progress.tick();
    return {
      bytes: r.bytesSent,
      stoppedEarly: r.stoppedEarly,
      mbps: r.bytesSent / (r.elapsedNs / 1e9) / 1e6,
      rssStart,
      rssPeak,
      rssAfter,
      bytesRead: counted.bytesRead,
      reads: counted.reads,
      exact: counted.bytesRead === r.bytesSent,
      missed,
      resynced,
    };
  } finally {
    await reader.stop();
    await server.stop();
  }
}
