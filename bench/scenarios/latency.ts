// Ping-pong of small messages on one connection, reply echo: round-trip p50 and p99 per server. As for
// throughput, capture-on tcpscope is held against the onread baseline with a bare tcpdump on its port (the
// capture's own wake-ups on both sides), --no-capture against the bare onread baseline.
import { BASELINE_OF, type BenchContext, perServer, THROUGHPUT_SERVERS } from '../context.ts';
import { pingpong, type PingPongResult } from '../loadgen/loadgen-runner.ts';
import type { ServerKind } from '../servers.ts';
import { pairedRatios, rotate, type Summary, summarize } from '../stats.ts';

export interface LatencyResult {
  count: number;
  size: number;
  runs: Partial<Record<ServerKind, PingPongResult[]>>;
  p50Us: Partial<Record<ServerKind, Summary>>;
  p99Us: Partial<Record<ServerKind, Summary>>;
  /** p50 ÷ its baseline's p50 in the same round (BASELINE_OF), for each tcpscope. */
  p50Ratio: Partial<Record<ServerKind, Summary>>;
}

export async function runLatency(ctx: BenchContext): Promise<LatencyResult> {
  const { rounds, count, warmup, size, bufferSize } = ctx.plan.latency;
  await Promise.all(THROUGHPUT_SERVERS.map((k) => ctx.servers[k].configure(bufferSize, 'echo')));
  const runs: Record<ServerKind, PingPongResult[]> = { tcpscope: [], nocapture: [], onread: [], onreadcap: [], plain: [] };
  for (let round = 0; round < rounds; round++) {
    for (const kind of rotate(THROUGHPUT_SERVERS, round)) {
      ctx.progress.step('latency', `${count} round trips of ${size} bytes, round ${round + 1}/${rounds}, ${kind}`);
      runs[kind].push(await pingpong(ctx.lg, { port: ctx.servers[kind].tcpPort, count, size, warmup }));
      ctx.progress.tick();
    }
  }
  return {
    count,
    size,
    runs,
    p50Us: perServer(THROUGHPUT_SERVERS, (k) => summarize(runs[k].map((r) => r.p50Ns / 1000))),
    p99Us: perServer(THROUGHPUT_SERVERS, (k) => summarize(runs[k].map((r) => r.p99Ns / 1000))),
    p50Ratio: perServer(['tcpscope', 'nocapture'], (k) =>
      summarize(pairedRatios(runs[k].map((r) => r.p50Ns), runs[BASELINE_OF[k as keyof typeof BASELINE_OF]].map((r) => r.p50Ns))),
    ),
  };
}
