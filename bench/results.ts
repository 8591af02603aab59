// The whole result of one run, as written to the JSON file and read by the report.
import type { ProfileSummary } from './profile-summary.ts';
import type { CaptureStatus } from './servers.ts';
import type { FanoutCase } from './scenarios/fanout.ts';
import type { FloodResults } from './scenarios/flood.ts';
import type { LatencyResult } from './scenarios/latency.ts';
import type { MemoryResults } from './scenarios/memory.ts';
import type { PageResults } from './scenarios/page.ts';
import type { ScaleCase } from './scenarios/scale.ts';
import type { ThroughputCase } from './scenarios/throughput.ts';
import type { WriteToWsResults } from './scenarios/write-to-ws.ts';
import type { WatchBenchResults } from './scenarios/watch.ts';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  kernel: string;
  /** 1-minute load average when the run started: other work on the machine makes figures noisy. */
  loadAverage: number;
  /** Whether the kernel groups each session's threads for CPU sharing (/proc/sys/kernel/sched_autogroup_enabled); null if unknown. */
  autogroup?: boolean | null;
  date: string;
}

export interface BenchResults {
  quick: boolean;
  machine: Machine;
  loadgen: { impl: 'c' | 'node'; note: string | null };
  /** Where the servers ran: all in the bench's session, or each in its own (bench/servers.ts, `arrangement`). */
  sessions?: 'shared' | 'separate';
  /** The wire capture of tcpscope as `npm start` runs it, when the run started. */
  capture: CaptureStatus | null;
  durationSec: number;
  throughput?: ThroughputCase[];
  latency?: LatencyResult;
  scale?: ScaleCase[];
  fanout?: FanoutCase[];
  writeToWs?: WriteToWsResults;
  flood?: FloodResults;
  memory?: MemoryResults;
  page?: PageResults;
  /** The cost of watching a server (bench/scenarios/watch.ts). */
  watch?: WatchBenchResults;
  /** With --profile: where each CPU profile went, and its top functions by self time. */
  profiles?: ProfileSummary[];
}
