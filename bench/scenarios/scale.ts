// Many connections at once. Throughput: 1, 100 and 1,000 connections each streaming with echo, total
// MB/s. Memory: 100 and 1,000 connections opened and held (each echoes one small message so that it is
// read once), and the server's resident memory growth per held connection, measured while the server is
// otherwise idle so that garbage from streaming does not blur it.
import { type BenchContext, measureStream, perServer, sleep } from '../context.ts';
import { streamAndHold } from '../loadgen/loadgen-runner.ts';
import { rssBytes, waitIdle } from '../proc-stats.ts';
import type { ServerKind } from '../servers.ts';
import { pairedRatios, rotate, type Summary, summarize } from '../stats.ts';

export interface ScaleCase {
  conns: number;
  bytesPerConn: number;
  mbps: Partial<Record<ServerKind, Summary>>;
  /** MB/s ÷ the onread baseline's MB/s in the same round, for each tcpscope. */
  ratio: Partial<Record<ServerKind, Summary>>;
  /** (RSS with the connections held − RSS before they opened) ÷ connections; absent for one connection. */
  rssPerConnBytes: Partial<Record<ServerKind, Summary>>;
}

export const SCALE_SERVERS: ServerKind[] = ['tcpscope', 'nocapture', 'onread', 'plain'];
/** Each held connection sends and gets back this much, once. */
const HOLD_BYTES = 1024;

export async function runScale(ctx: BenchContext): Promise<ScaleCase[]> {
  const { rounds, memoryRounds, conns: connCounts, totalBytes, bufferSize, settleMs, maxSeconds } = ctx.plan.scale;
  await Promise.all(SCALE_SERVERS.map((k) => ctx.servers[k].configure(bufferSize, 'echo')));
  const cases: ScaleCase[] = [];
  for (const conns of connCounts) {
    const bytesPerConn = Math.ceil(totalBytes / conns);
    const mbps: Record<ServerKind, number[]> = { tcpscope: [], nocapture: [], onread: [], onreadcap: [], plain: [] };
    for (let round = 0; round < rounds; round++) {
      for (const kind of rotate(SCALE_SERVERS, round)) {
        ctx.progress.step('scale', `${conns} connections streaming, round ${round + 1}/${rounds}, ${kind}`);
        const run = await measureStream(ctx, ctx.servers[kind], { conns, bytesPerConn, reply: 'echo', maxSeconds });
        mbps[kind].push(run.mbps);
        ctx.progress.tick();
      }
    }
    const perConn: Record<ServerKind, number[]> = { tcpscope: [], nocapture: [], onread: [], onreadcap: [], plain: [] };
    if (conns >= 100) {
      for (let round = 0; round < memoryRounds; round++) {
        for (const kind of rotate(SCALE_SERVERS, round)) {
          ctx.progress.step('scale', `${conns} connections held, round ${round + 1}/${memoryRounds}, ${kind}`);
          const server = ctx.servers[kind];
          await waitIdle(server.pid, { maxMs: ctx.plan.idleMaxMs });
          const before = rssBytes(server.pid);
          const held = await streamAndHold(ctx.lg, { port: server.tcpPort, conns, bytesPerConn: HOLD_BYTES });
          await sleep(settleMs);
          const during = rssBytes(server.pid);
          await held.release();
          perConn[kind].push((during - before) / conns);
          ctx.progress.tick();
        }
      }
    }
    cases.push({
      conns,
      bytesPerConn,
      mbps: perServer(SCALE_SERVERS, (k) => summarize(mbps[k])),
      ratio: perServer(['tcpscope', 'nocapture'], (k) => summarize(pairedRatios(mbps[k], mbps.onread))),
      rssPerConnBytes: conns >= 100 ? perServer(SCALE_SERVERS, (k) => summarize(perConn[k])) : {},
    });
  }
  return cases;
}
