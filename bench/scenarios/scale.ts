// Many connections at once, each streaming with echo and then held open: total MB/s, and how much
// the server's resident memory grew per connection while they are held.
import { type BenchContext, perServer, sleep } from '../context.ts';
import { streamAndHold } from '../loadgen/loadgen-runner.ts';
import { rssBytes } from '../proc-stats.ts';
import type { ServerKind } from '../servers.ts';
import { pairedRatios, rotate, type Summary, summarize } from '../stats.ts';

export interface ScaleRun {
  mbps: number;
  rssBefore: number;
  rssHeld: number;
  rssPerConn: number;
}

export interface ScaleCase {
  conns: number;
  bytesPerConn: number;
  runs: Partial<Record<ServerKind, ScaleRun[]>>;
  mbps: Partial<Record<ServerKind, Summary>>;
  rssPerConnBytes: Partial<Record<ServerKind, Summary>>;
  /** MB/s ÷ the onread baseline's MB/s in the same round, for each tcpscope. */
  ratio: Partial<Record<ServerKind, Summary>>;
}

export const SCALE_SERVERS: ServerKind[] = ['tcpscope', 'nocapture', 'onread', 'plain'];

export async function runScale(ctx: BenchContext): Promise<ScaleCase[]> {
  const { rounds, conns: connCounts, totalBytes, bufferSize, settleMs, maxSeconds } = ctx.plan.scale;
  await Promise.all(SCALE_SERVERS.map((k) => ctx.servers[k].configure(bufferSize, 'echo')));
  const cases: ScaleCase[] = [];
  for (const conns of connCounts) {
    const bytesPerConn = Math.ceil(totalBytes / conns);
    const runs: Record<ServerKind, ScaleRun[]> = { tcpscope: [], nocapture: [], onread: [], plain: [] };
    for (let round = 0; round < rounds; round++) {
      for (const kind of rotate(SCALE_SERVERS, round)) {
        ctx.progress.step('scale', `${conns} connections, round ${round + 1}/${rounds}, ${kind}`);
        const server = ctx.servers[kind];
        const rssBefore = rssBytes(server.pid);
        const held = await streamAndHold(ctx.lg, { port: server.tcpPort, conns, bytesPerConn, maxSeconds });
        await sleep(settleMs);
        const rssHeld = rssBytes(server.pid);
        await held.release();
        const r = held.result;
        runs[kind].push({
          mbps: r.bytesSent / (r.elapsedNs / 1e9) / 1e6,
          rssBefore,
          rssHeld,
          rssPerConn: (rssHeld - rssBefore) / conns,
        });
        ctx.progress.tick();
      }
    }
    const by = (f: (r: ScaleRun) => number) => perServer(SCALE_SERVERS, (k) => summarize(runs[k].map(f)));
    cases.push({
      conns,
      bytesPerConn,
      runs: perServer(SCALE_SERVERS, (k) => runs[k]),
      mbps: by((r) => r.mbps),
      rssPerConnBytes: by((r) => r.rssPerConn),
      ratio: perServer(['tcpscope', 'nocapture'], (k) => summarize(pairedRatios(runs[k].map((r) => r.mbps), runs.onread.map((r) => r.mbps)))),
    });
  }
  return cases;
}
