// How much each scenario does: the full run (about three minutes on a 2-core machine) and --quick
// (a smoke run in well under 30 s whose figures mean little). Sizes are per buffer because a 7-byte
// buffer reads ~100× fewer bytes per second than a 1024-byte one.
export type StreamReply = 'ack' | 'none' | 'echo';

export interface Plan {
  quick: boolean;
  /** After a run, wait at most this long for the server to go idle before the next run. */
  idleMaxMs: number;
  throughput: {
    rounds: number;
    /** A short unmeasured run per server and configuration first. */
    warmup: boolean;
    buffers: number[];
    replies: StreamReply[];
    bytes(bufferSize: number, reply: StreamReply): number;
    /** A run stops sending after this long, so that a slow server cannot stretch the bench. */
    maxSeconds: number;
  };
  latency: { rounds: number; count: number; warmup: number; size: number; bufferSize: number };
  scale: { rounds: number; memoryRounds: number; conns: number[]; totalBytes: number; bufferSize: number; settleMs: number; maxSeconds: number };
  fanout: { rounds: number; subscribers: number[]; bytes: number; bufferSize: number; maxSeconds: number };
  writeToWs: { samples: number; maxGapMs: number; timeoutMs: number };
  flood: { bytes: number; bufferSize: number; settleMs: number; missedTimeoutMs: number; maxSeconds: number };
  memory: { idleAfterMs: number; peers: number; peerBufferSize: number; peerSeconds: number; settleMs: number };
  /** The page in Chromium at a laptop's screen while one connection streams at full rate. */
  page: { seconds: number; width: number; height: number };
}

const MiB = 1024 * 1024;

export function makePlan(quick: boolean): Plan {
  if (quick) {
    return {
      quick,
      idleMaxMs: 1000,
      throughput: {
        rounds: 1,
        warmup: false,
        buffers: [7, 1024, 65536],
        replies: ['ack', 'none', 'echo'],
        bytes: (b) => (b < 64 ? 128 * 1024 : b < 4096 ? 8 * MiB : 32 * MiB),
        maxSeconds: 0.4,
      },
      latency: { rounds: 1, count: 1000, warmup: 100, size: 7, bufferSize: 1024 },
      scale: { rounds: 1, memoryRounds: 1, conns: [1, 1000], totalBytes: 8 * MiB, bufferSize: 1024, settleMs: 100, maxSeconds: 0.4 },
      fanout: { rounds: 1, subscribers: [1, 10], bytes: 8 * MiB, bufferSize: 1024, maxSeconds: 0.4 },
      writeToWs: { samples: 20, maxGapMs: 10, timeoutMs: 2000 },
      flood: { bytes: 256 * MiB, bufferSize: 1024, settleMs: 200, missedTimeoutMs: 1000, maxSeconds: 1 },
      memory: { idleAfterMs: 1000, peers: 4, peerBufferSize: 7, peerSeconds: 1, settleMs: 200 },
      page: { seconds: 1, width: 1366, height: 768 },
    };
  }
  return {
    quick,
    idleMaxMs: 5000,
    throughput: {
      // Seven: a 0.8 s round on two shared cores varies by ±30% (at buffer 65536, reply ack, capture on, one
      // round in five or so reads half the others), and a median of five still moved by 0.1 between runs.
      rounds: 7,
      warmup: true,
      buffers: [7, 1024, 65536],
      // ack (the default) first: one `Received: N` per read, so at small buffers it costs as much as echo.
      replies: ['ack', 'none', 'echo'],
      // Every round is time-bound (0.8 s): more bytes than the fastest server streams in that time. With
      // 256 MiB a round at buffer 65536 lasted 0.08-0.3 s, mostly a connection's first moments (its
      // first events and segments are the ones shown in detail), not the steady stream the ratio is about.
      bytes: (b, reply) => (b < 64 ? (reply === 'none' ? 4 : 2) * MiB : b < 4096 && reply !== 'none' ? 64 * MiB : b < 4096 ? 1024 * MiB : 8192 * MiB),
      maxSeconds: 0.8,
    },
    latency: { rounds: 4, count: 10000, warmup: 1000, size: 7, bufferSize: 1024 },
    scale: { rounds: 2, memoryRounds: 2, conns: [1, 100, 1000], totalBytes: 64 * MiB, bufferSize: 1024, settleMs: 300, maxSeconds: 0.8 },
    fanout: { rounds: 2, subscribers: [1, 10, 50], bytes: 128 * MiB, bufferSize: 1024, maxSeconds: 0.8 },
    writeToWs: { samples: 200, maxGapMs: 10, timeoutMs: 2000 },
    // 8 s at most, and 4 GiB: a fast server streams more than 1 GiB, and the stalled subscriber stays
    // stalled long enough to fall behind (live batches are bounded to a few MB/s, and kernel and ws
    // buffers hold several MB before tcpscope counts a subscriber as behind).
    flood: { bytes: 4096 * MiB, bufferSize: 1024, settleMs: 3000, missedTimeoutMs: 15000, maxSeconds: 8 },
    // The memory rows: idle 5 s after start with one subscriber; four peers at buffer 7 for 10 s.
    memory: { idleAfterMs: 5000, peers: 4, peerBufferSize: 7, peerSeconds: 10, settleMs: 1000 },
    page: { seconds: 8, width: 1366, height: 768 },
  };
}

/** Steps in the plan, for the progress line. */
export function countSteps(plan: Plan, only: ReadonlySet<string> | null): Record<string, number> {
  const on = (s: string) => only === null || only.has(s);
  const t = plan.throughput;
  return {
    throughput: on('throughput') ? t.buffers.length * t.replies.length * 5 * (t.rounds + (t.warmup ? 1 : 0)) : 0,
    latency: on('latency') ? plan.latency.rounds * 5 : 0,
    scale: on('scale') ? (plan.scale.conns.length * plan.scale.rounds + plan.scale.conns.filter((n) => n >= 100).length * plan.scale.memoryRounds) * 4 : 0,
    fanout: on('fanout') ? plan.fanout.subscribers.length * plan.fanout.rounds * 2 : 0,
    'write-to-ws': on('write-to-ws') ? 2 : 0,
    flood: on('flood') ? 2 : 0,
    memory: on('memory') ? 2 : 0,
    page: on('page') ? 1 : 0,
    watch: on('watch') ? 8 : 0,
  };
}
