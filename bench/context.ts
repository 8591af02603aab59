// What every scenario is handed: the plan, the load generator, the servers (started once and
// reconfigured between scenarios), each tcpscope's reading subscriber, and the progress line.
import type { Watchers } from './clients/watchers-process.ts';
import { type Loadgen, stream, type StreamOptions } from './loadgen/loadgen-runner.ts';
import type { Plan } from './plan.ts';
import { cpuSeconds, machineBusySeconds, waitIdle } from './proc-stats.ts';
import type { Progress } from './progress.ts';
import type { ServerHandle, ServerKind } from './servers.ts';

export interface BenchContext {
  plan: Plan;
  lg: Loadgen;
  servers: Record<ServerKind, ServerHandle>;
  /** Subscribers to each tcpscope's /ws (one, unless fan-out changes it). */
  watchers: Record<'tcpscope' | 'nocapture', Watchers>;
  progress: Progress;
  workDir: string;
  cpuProfDir: string | undefined;
}

/** Every server, in the order of the first round. */
export const ALL_SERVERS: ServerKind[] = ['tcpscope', 'nocapture', 'onread', 'plain'];
/** Throughput adds the onread baseline with a bare tcpdump on its port: what capture-on tcpscope is held against. */
export const THROUGHPUT_SERVERS: ServerKind[] = ['tcpscope', 'nocapture', 'onread', 'onreadcap', 'plain'];
/** Which baseline each tcpscope is held against: the capture's own cost sits on both sides of the ratio. */
export const BASELINE_OF = { tcpscope: 'onreadcap', nocapture: 'onread' } as const;

/** One value per server kind. */
export function perServer<T>(kinds: readonly ServerKind[], f: (k: ServerKind) => T): Partial<Record<ServerKind, T>> {
  const out: Partial<Record<ServerKind, T>> = {};
  for (const k of kinds) out[k] = f(k);
  return out;
}

/** One stream against one server, as that server counted it. */
export interface StreamRun {
  mbps: number;
  readsPerSec: number;
  avgReadBytes: number;
  /** Server CPU seconds (user + system) during the stream. */
  cpuSec: number;
  /** CPU seconds the whole machine spent busy during the stream, over all cores (load generator and tcpdump included). */
  machineCpuSec: number;
  elapsedSec: number;
  /** The server's count of bytes read equals the bytes the load generator sent. */
  exact: boolean;
  /** Why the run failed (the load generator's message), if it did: its figures are then NaN. */
  error?: string;
}

export async function measureStream(ctx: BenchContext, server: ServerHandle, o: Omit<StreamOptions, 'port'>): Promise<StreamRun> {
  await server.mark();
  const cpu0 = cpuSeconds(server.pid);
  const machine0 = machineBusySeconds();
  let r;
  try {
    r = await stream(ctx.lg, { ...o, port: server.tcpPort });
  } catch (err) {
    // One failed run (a reset, say) is reported with the figures, not the end of a long bench.
    const error = `${server.kind}: ${(err as Error).message}`;
    process.stderr.write(`\nbench: run failed: ${error}\n`);
    await waitIdle(server.pid, { maxMs: ctx.plan.idleMaxMs });
    return { mbps: Number.NaN, readsPerSec: Number.NaN, avgReadBytes: Number.NaN, cpuSec: Number.NaN, machineCpuSec: Number.NaN, elapsedSec: Number.NaN, exact: false, error };
  }
  const cpu1 = cpuSeconds(server.pid);
  const machine1 = machineBusySeconds();
  const elapsedSec = r.elapsedNs / 1e9;
  const counted = o.conns === 1 ? await server.readsOf(r.localPort) : { reads: Number.NaN, bytesRead: Number.NaN };
  await waitIdle(server.pid, { maxMs: ctx.plan.idleMaxMs });
  return {
    mbps: r.bytesSent / elapsedSec / 1e6,
    readsPerSec: counted.reads / elapsedSec,
    avgReadBytes: counted.bytesRead / counted.reads,
    cpuSec: cpu1 - cpu0,
    machineCpuSec: machine1 - machine0,
    elapsedSec,
    exact: o.conns !== 1 || counted.bytesRead === r.bytesSent,
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
