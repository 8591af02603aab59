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
    // Capture on is held against the onread baseline plus a bare tcpdump; --no-capture against the bare baseline.
    const minCapture = 0.8;
    const minBare = c.bufferSize < 64 ? 0.7 : 0.9;
    const t = ratioVerdict(c.ratio.tcpscope, (m) => m >= minCapture);
    if (t) {
      out.push({
        name: `throughput ÷ baseline, buffer ${c.bufferSize}, reply ${c.reply}`,
        target: `≥ ${minCapture} (capture on ÷ onread + tcpdump); ≥ ${minBare} (--no-capture ÷ onread)`,
        tcpscope: t,
        nocapture: ratioVerdict(c.ratio.nocapture, (m) => m >= minBare),
      });
    }
  }
  if (r.latency) {
    const ok = (m: number) => m <= 1.25;
    const t = ratioVerdict(r.latency.p50Ratio.tcpscope, ok);
    if (t) out.push({ name: 'ping-pong p50 ÷ baseline', target: '≤ 1.25', tcpscope: t, nocapture: ratioVerdict(r.latency.p50Ratio.nocapture, ok) });
  }
  const both = <T>(pair: Partial<Record<'tcpscope' | 'nocapture', T>> | undefined, f: (v: T) => Verdict): [Verdict, Verdict | null] | null => {
    if (!pair?.tcpscope) return null;
    return [f(pair.tcpscope), pair.nocapture ? f(pair.nocapture) : null];
  };
  const add = (name: string, target: string, v: [Verdict, Verdict | null] | null) => {
    if (v) out.push({ name, target, tcpscope: v[0], nocapture: v[1] });
  };
  const batch = r.writeToWs?.tcpscope?.batchIntervalMs;
  add(`write to WebSocket subscriber p99 (batch ${batch} ms)`, '≤ 60 ms', both(r.writeToWs, (w) => ({
    measured: `${w.p99Ms.toFixed(1)} ms${w.lost ? `, ${w.lost} lost` : ''}`,
    met: w.p99Ms <= 60 && w.lost === 0,
  })));
  const f0 = r.flood?.tcpscope;
  if (f0) {
    add('RSS peak through the flood, one subscriber stalled', '≤ 300 MB', both(r.flood, (f) => ({ measured: `${(f.rssPeak / MB).toFixed(0)} MB`, met: f.rssPeak <= 300 * MB })));
    add('RSS after the flood', '≤ 150 MB', both(r.flood, (f) => ({ measured: `${(f.rssAfter / MB).toFixed(0)} MB`, met: f.rssAfter <= 150 * MB })));
    add('flood: counters exact; stalled subscriber told what it missed', 'exact; `missed`, snapshot', both(r.flood, (f) => ({
      measured: `${f.exact ? 'exact' : `${f.bytesRead} of ${f.bytes}`}; ${f.missed === null ? 'no `missed`' : `missed ${f.missed}${f.resynced ? ', resynced' : ''}`}`,
      met: f.exact && f.missed !== null && f.resynced,
    })));
  }
  const mem = r.memory;
  if (mem) {
    out.push({ name: `idle RSS ${mem.idleAfterMs / 1000} s after start, one subscriber`, target: '≤ 90 MB', tcpscope: { measured: `${(mem.idleRss / MB).toFixed(0)} MB`, met: mem.idleRss <= 90 * MB }, nocapture: null });
    const f = mem.fourPeers;
    out.push({
      name: `${f.conns} peers flooding at buffer ${f.bufferSize} for ${f.seconds} s: RSS peak`,
      target: '≤ 400 MB, counts exact',
      tcpscope: { measured: `${(f.rssPeak / MB).toFixed(0)} MB${f.exact ? ', exact' : ', NOT exact'}`, met: f.rssPeak <= 400 * MB && f.exact },
      nocapture: null,
    });
  }
  const pg = r.page;
  if (pg && pg.skipped !== null) {
    out.push({ name: 'the page under full-rate traffic', target: 'no long task > 100 ms', tcpscope: { measured: `not measured: ${pg.skipped}`, met: false }, nocapture: null });
  } else if (pg) {
    out.push({
      name: `the page at ${pg.viewport.width}×${pg.viewport.height} under full-rate traffic (${pg.seconds} s, reply ack)`,
      target: `no long task > 100 ms; ≤ ${pg.chartPointsLimit} chart points`,
      tcpscope: {
        measured: `${pg.longTasksOver100Ms} over 100 ms (longest ${pg.longestTaskMs.toFixed(0)} ms of ${pg.longTasks}); ${pg.chartPointsMax} points${pg.exact ? '' : '; bytes NOT exact'}${pg.pageErrors.length > 0 ? `; ${pg.pageErrors.length} page errors` : ''}`,
        met: pg.longTasksOver100Ms === 0 && pg.chartPointsMax <= pg.chartPointsLimit && pg.exact && pg.pageErrors.length === 0,
      },
      nocapture: null,
    });
  }
  const big = (r.scale ?? []).find((c) => c.conns >= 1000);
  if (big) {
    const kb = (s: Summary | undefined): Verdict | null =>
      s && s.n > 0 ? { measured: `${(s.median / 1000).toFixed(1)} KB`, met: s.median / 1000 <= 50 } : null;
    const t = kb(big.rssPerConnBytes.tcpscope);
    if (t) out.push({ name: `${big.conns} concurrent connections: RSS growth per connection`, target: '≤ 50 KB', tcpscope: t, nocapture: kb(big.rssPerConnBytes.nocapture) });
  }
  return out;
}
