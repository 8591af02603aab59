// One connection streaming, reply ack (the default), none and echo, at each buffer size: MB/s and
// reads/s per server, and each tcpscope ÷ its baseline taken round by round: capture on ÷ the onread
// baseline with a bare tcpdump on its port, --no-capture ÷ the bare onread baseline.
import { BASELINE_OF, type BenchContext, measureStream, perServer, type StreamRun, THROUGHPUT_SERVERS as ALL_SERVERS } from '../context.ts';
import type { StreamReply } from '../plan.ts';
import type { ServerKind } from '../servers.ts';
import { pairedRatios, rotate, type Summary, summarize } from '../stats.ts';

export interface ThroughputCase {
  bufferSize: number;
  reply: StreamReply;
  /** Bytes per run, unless the time limit stopped it first. */
  bytes: number;
  runs: Partial<Record<ServerKind, StreamRun[]>>;
  mbps: Partial<Record<ServerKind, Summary>>;
  readsPerSec: Partial<Record<ServerKind, Summary>>;
  /** MB/s ÷ its baseline's MB/s in the same round (BASELINE_OF), for each tcpscope. */
  ratio: Partial<Record<ServerKind, Summary>>;
  /** Cores the whole machine kept busy during each server's runs (load generator, server, tcpdump). */
  machineCores?: Partial<Record<ServerKind, Summary>>;
  /** The whole machine's CPU seconds per GB streamed through each server. */
  machineCpuPerGb?: Partial<Record<ServerKind, Summary>>;
  /**
   * Its baseline's machine CPU per GB ÷ this tcpscope's, same round: the ratio the machine's CPU allows.
   * When both keep every core busy, throughput can only be this ratio of the baseline's.
   */
  cpuAllows?: Partial<Record<ServerKind, Summary>>;
  /** Every tcpscope run that completed counted exactly the bytes sent. */
  exact: boolean;
  /** Runs that failed, with the load generator's message. */
  errors?: string[];
}

export async function runThroughput(ctx: BenchContext): Promise<ThroughputCase[]> {
  const { rounds, warmup, buffers, replies, bytes, maxSeconds } = ctx.plan.throughput;
  const cases: ThroughputCase[] = [];
  for (const bufferSize of buffers) {
    for (const reply of replies) {
      const size = bytes(bufferSize, reply);
      await Promise.all(ALL_SERVERS.map((k) => ctx.servers[k].configure(bufferSize, reply)));
      const runs: Record<ServerKind, StreamRun[]> = { tcpscope: [], nocapture: [], onread: [], onreadcap: [], plain: [] };
      const label = `buffer ${bufferSize}, reply ${reply}`;
      for (const kind of warmup ? ALL_SERVERS : []) {
        ctx.progress.step('throughput', `${label}, warm-up ${kind}`);
        await measureStream(ctx, ctx.servers[kind], { conns: 1, bytesPerConn: Math.ceil(size / 4), reply, maxSeconds: maxSeconds / 4 });
        ctx.progress.tick();
      }
      for (let round = 0; round < rounds; round++) {
        for (const kind of rotate(ALL_SERVERS, round)) {
          ctx.progress.step('throughput', `${label}, round ${round + 1}/${rounds}, ${kind}`);
          runs[kind].push(await measureStream(ctx, ctx.servers[kind], { conns: 1, bytesPerConn: size, reply, maxSeconds }));
          ctx.progress.tick();
        }
      }
      cases.push({
        bufferSize,
        reply,
        bytes: size,
        runs,
        mbps: perServer(ALL_SERVERS, (k) => summarize(runs[k].map((r) => r.mbps))),
        readsPerSec: perServer(ALL_SERVERS, (k) => summarize(runs[k].map((r) => r.readsPerSec))),
        ratio: perServer(['tcpscope', 'nocapture'], (k) =>
          summarize(pairedRatios(runs[k].map((r) => r.mbps), runs[BASELINE_OF[k as 'tcpscope' | 'nocapture']].map((r) => r.mbps))),
        ),
        machineCores: perServer(ALL_SERVERS, (k) => summarize(runs[k].map((r) => r.machineCpuSec / r.elapsedSec))),
        machineCpuPerGb: perServer(ALL_SERVERS, (k) => summarize(runs[k].map(cpuPerGb))),
        cpuAllows: perServer(['tcpscope', 'nocapture'], (k) =>
          summarize(pairedRatios(runs[BASELINE_OF[k as 'tcpscope' | 'nocapture']].map(cpuPerGb), runs[k].map(cpuPerGb))),
        ),
        exact: [...runs.tcpscope, ...runs.nocapture].every((r) => r.exact || r.error !== undefined),
        errors: Object.values(runs).flatMap((rs) => rs.flatMap((r) => (r.error ? [r.error] : []))),
      });
    }
  }
  return cases;
}

/** The whole machine's CPU seconds per GB the run streamed. */
function cpuPerGb(r: StreamRun): number {
  return r.machineCpuSec / ((r.mbps * r.elapsedSec) / 1e3);
}
