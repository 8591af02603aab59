// The watch section's table for `npm run bench` (the cost of tracing a server, per mechanism).
import type { Table } from '../report/tables.ts';
import type { WatchBenchResults } from './watch.ts';

/** The target: eBPF keeps at least half the unwatched throughput at buffer 1024. */
export const EBPF_TARGET_RATIO = 0.5;

export function watchTable(r: WatchBenchResults): Table {
  return {
    title: `Watching a Go server (buffer ${r.bufferSize}, "Received: N" per read): watched vs unwatched, same run`,
    note:
      `Throughput streams ${r.mb} MB (strace: ${r.mb / 10} MB) in 1 MiB writes; ping-pong is ${r.pings} round trips of a 7-byte message. ` +
      'Unwatched is the mean of the runs just before and just after the watched one. Target: eBPF ≥ 0.5×. ' +
      'tcpscope shows each ratio on its watches (bench/results/watch-slowdown.json).',
    columns: ['mechanism', 'MB/s watched', 'MB/s unwatched', 'ratio', 'RTT µs watched', 'RTT µs unwatched', 'attach s', 'target'],
    rows: r.cases.map((c) => [
      c.mechanism,
      c.mbps.toFixed(1),
      c.baseMbps.toFixed(1),
      `${c.ratio.toFixed(2)}×`,
      c.medianRttUs.toFixed(0),
      c.baseRttUs.toFixed(0),
      c.attachSec.toFixed(1),
      c.mechanism === 'ebpf' ? (c.ratio >= EBPF_TARGET_RATIO ? 'met' : 'NOT MET') : '',
    ]),
  };
}
