// The issue's targets, checked against one run's medians: for tcpscope as `npm start` runs it, and,
// where the run measured it, for tcpscope --no-capture (the read path without the wire capture).
import type { BenchResults } from '../results.ts';
import type { Summary } from '../stats.ts';

export interface Verdict {
  measured: string;
  met: boolean;
}

export interface TargetCheck {
  name: string;
  target: string;
  tcpscope: Verdict;
  nocapture: Verdict | null;
}

const MB = 1e6;

function ratioVerdict(s: Summary | undefined, ok: (median: number) => boolean): Verdict | null {
  if (!s || s.n === 0) return null;
  const range = s.n > 1 ? ` (${s.min.toFixed(2)}–${s.max.toFixed(2)})` : '';
  return { measured: `${s.median.toFixed(2)}${range}`, met: ok(s.median) };
}

export function checkTargets(r: BenchResults): TargetCheck[] {
  const out: TargetCheck[] = [];
  for (const c of r.throughput ?? []) {
    const min = c.bufferSize < 64 ? 0.7 : 0.9;
    const ok = (m: number) => m >= min;
    const t = ratioVerdict(c.ratio.tcpscope, ok);
    if (t) {
      out.push({
        name: `throughput ÷ baseline, buffer ${c.bufferSize}, reply ${c.reply}`,
        target: `≥ ${min}`,
        tcpscope: t,
        nocapture: ratioVerdict(c.ratio.nocapture, ok),
      });
    }
  }
  if (r.latency) {
    const ok = (m: number) => m <= 1.25;
    const t = ratioVerdict(r.latency.p50Ratio.tcpscope, ok);
    if (t) out.push({ name: 'ping-pong p50 ÷ baseline', target: '≤ 1.25', tcpscope: t, nocapture: ratioVerdict(r.latency.p50Ratio.nocapture, ok) });
  }
  if (r.writeToWs) {
    const w = r.writeToWs;
    out.push({
      name: `write to WebSocket subscriber p99 (batch ${w.batchIntervalMs} ms)`,
      target: '≤ 60 ms',
      tcpscope: { measured: `${w.p99Ms.toFixed(1)} ms${w.lost ? `, ${w.lost} lost` : ''}`, met: w.p99Ms <= 60 && w.lost === 0 },
      nocapture: null,
    });
  }
  if (r.flood) {
    const f = r.flood;
    const size = f.bytes >= 2 ** 30 ? `${f.bytes / 2 ** 30} GiB` : `${f.bytes / 2 ** 20} MiB`;
    out.push({
      name: `RSS peak through a ${size} flood, one subscriber stalled`,
      target: '≤ 300 MB',
      tcpscope: { measured: `${(f.rssPeak / MB).toFixed(0)} MB`, met: f.rssPeak <= 300 * MB },
      nocapture: null,
    });
    out.push({
      name: 'RSS after the flood',
      target: '≤ 150 MB',
      tcpscope: { measured: `${(f.rssAfter / MB).toFixed(0)} MB`, met: f.rssAfter <= 150 * MB },
      nocapture: null,
    });
    out.push({
      name: 'flood: counters exact, stalled subscriber told what it missed',
      target: 'exact; `missed`, then snapshot',
      tcpscope: {
        measured: `${f.exact ? 'exact' : `${f.bytesRead} of ${f.bytes}`}; ${f.missed === null ? 'no `missed` message' : `missed ${f.missed}${f.resynced ? ', resynced' : ''}`}`,
        met: f.exact && f.missed !== null && f.resynced,
      },
      nocapture: null,
    });
  }
  const big = (r.scale ?? []).find((c) => c.conns >= 1000);
  const perConn = big?.rssPerConnBytes.tcpscope;
  if (big && perConn) {
    const kb = perConn.median / 1000;
    out.push({
      name: `${big.conns} concurrent connections: RSS growth per connection`,
      target: '≤ 50 KB',
      tcpscope: { measured: `${kb.toFixed(1)} KB`, met: kb <= 50 },
      nocapture: null,
    });
  }
  return out;
}
