// 1, 10 and 50 WebSocket subscribers reading while one connection streams: tcpscope's throughput
// against the onread baseline, its CPU, and what each subscriber received. Run on tcpscope
// --no-capture, so that what is measured is the live stream's fan-out and not the wire capture.
import { type BenchContext, measureStream, sleep, type StreamRun } from '../context.ts';
import { pairedRatios, rotate, type Summary, summarize } from '../stats.ts';

export interface FanoutCase {
  subscribers: number;
  bytes: number;
  tcpscope: StreamRun[];
  onread: StreamRun[];
  ratio: Summary;
  tcpscopeMbps: Summary;
  onreadMbps: Summary;
  /** tcpscope CPU seconds per GB streamed. */
  cpuSecPerGb: Summary;
  /** Cores tcpscope kept busy during the stream. */
  cpuCores: Summary;
  /** What one subscriber received, in MB per second of streaming. */
  perSubscriberMbps: Summary;
  missed: number;
}

export async function runFanout(ctx: BenchContext): Promise<FanoutCase[]> {
  const { rounds, subscribers, bytes, bufferSize, maxSeconds } = ctx.plan.fanout;
  const { nocapture: tcpscope, onread } = ctx.servers;
  const watchers = ctx.watchers.nocapture;
  await Promise.all([tcpscope.configure(bufferSize, 'none'), onread.configure(bufferSize, 'none')]);
  const cases: FanoutCase[] = [];
  for (const count of subscribers) {
    ctx.progress.step('fan-out', `connecting ${count} subscriber(s)`);
    await watchers.set(count);
    await sleep(200); // let the snapshots drain
    const runs = { tcpscope: [] as StreamRun[], onread: [] as StreamRun[] };
    const received: number[] = [];
    let missed = 0;
    for (let round = 0; round < rounds; round++) {
      for (const kind of rotate(['tcpscope', 'onread'] as const, round)) {
        ctx.progress.step('fan-out', `${count} subscriber(s), round ${round + 1}/${rounds}, ${kind}`);
        const server = kind === 'tcpscope' ? tcpscope : onread;
        const before = kind === 'tcpscope' ? await watchers.stats() : null;
        const run = await measureStream(ctx, server, { conns: 1, bytesPerConn: bytes, reply: 'none', maxSeconds });
        runs[kind].push(run);
        if (before) {
          await sleep(60); // the last batch
          const after = await watchers.stats();
          received.push((after.bytes - before.bytes) / count / run.elapsedSec / 1e6);
          missed += after.missed - before.missed;
        }
        ctx.progress.tick();
      }
    }
    cases.push({
      subscribers: count,
      bytes,
      ...runs,
      ratio: summarize(pairedRatios(runs.tcpscope.map((r) => r.mbps), runs.onread.map((r) => r.mbps))),
      tcpscopeMbps: summarize(runs.tcpscope.map((r) => r.mbps)),
      onreadMbps: summarize(runs.onread.map((r) => r.mbps)),
      cpuSecPerGb: summarize(runs.tcpscope.map((r) => r.cpuSec / (r.mbps * r.elapsedSec / 1e3))),
      cpuCores: summarize(runs.tcpscope.map((r) => r.cpuSec / r.elapsedSec)),
      perSubscriberMbps: summarize(received),
      missed,
    });
  }
  await watchers.set(1);
  return cases;
}
