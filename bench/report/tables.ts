// One run's results as tables, rendered either for the terminal or as Markdown.
import type { BenchResults } from '../results.ts';
import type { Summary } from '../stats.ts';
import { SERVER_LABELS, type ServerKind } from '../servers.ts';
import { checkTargets } from './targets.ts';

export interface Table {
  title: string;
  note?: string;
  columns: string[];
  rows: string[][];
}

const MB = 1e6;

function fmt(v: number, digits: number): string {
  if (!Number.isFinite(v)) return '—';
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "median (min–max)", or just the median for a single round. */
function spread(s: Summary, digits = 0, scale = 1): string {
  if (s.n === 0) return '—';
  const m = fmt(s.median / scale, digits);
  return s.n === 1 ? m : `${m} (${fmt(s.min / scale, digits)}–${fmt(s.max / scale, digits)})`;
}

function size(bytes: number): string {
  const [unit, div] = bytes >= 2 ** 30 ? ['GiB', 2 ** 30] : bytes >= 2 ** 20 ? ['MiB', 2 ** 20] : ['KiB', 1024];
  const v = bytes / div;
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${unit}`;
}

const SHORT: Record<ServerKind, string> = { tcpscope: 'tcpscope', nocapture: '--no-capture', onread: 'onread', onreadcap: 'onread+tcpdump', plain: 'plain' };

const verdict = (v: { met: boolean } | null) => (v === null ? '' : v.met ? 'met' : 'NOT MET');

export function buildTables(r: BenchResults): Table[] {
  const tables: Table[] = [];
  const none: Summary = { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  tables.push({
    title: 'Targets',
    note: 'tcpscope = as `npm start` runs it' + (r.capture?.active ? ' (wire capture on: tcpdump runs)' : ` (wire capture off: ${r.capture?.reason ?? 'unknown'})`) + '; --no-capture = the same without tcpdump. Ratios are medians (min–max) over rounds.',
    columns: ['target', 'goal', 'tcpscope', 'met', '--no-capture', 'met'],
    rows: checkTargets(r).map((t) => [t.name, t.target, t.tcpscope.measured, verdict(t.tcpscope), t.nocapture?.measured ?? '', verdict(t.nocapture)]),
  });
  if (r.throughput) {
    const throughputTable = tables.length;
    tables.push({
      title: 'Throughput: one connection streaming',
      note: 'MB/s as median (min–max) over rounds. ratio = tcpscope (capture on) ÷ the onread baseline with a bare tcpdump (tcpscope\'s capture flags) on its port, same round; ratio --no-capture = tcpscope --no-capture ÷ the bare onread baseline, same round. A run stops sending at its time limit, so a slow server streams fewer bytes.',
      columns: ['buffer', 'reply', 'bytes', 'tcpscope MB/s', '--no-capture MB/s', 'onread+tcpdump MB/s', 'onread MB/s', 'plain MB/s', 'ratio', 'ratio --no-capture', 'reads/s tcpscope', 'reads/s onread'],
      rows: r.throughput.map((c) => [
        String(c.bufferSize),
        c.reply,
        size(c.bytes),
        spread(c.mbps.tcpscope ?? none),
        spread(c.mbps.nocapture ?? none),
        spread(c.mbps.onreadcap ?? none),
        spread(c.mbps.onread ?? none),
        spread(c.mbps.plain ?? none),
        spread(c.ratio.tcpscope ?? none, 2),
        spread(c.ratio.nocapture ?? none, 2),
        spread(c.readsPerSec.tcpscope ?? none, 0),
        spread(c.readsPerSec.onread ?? none, 0),
      ]),
    });
    if (r.throughput.some((c) => c.machineCores !== undefined)) {
      tables.push({
        title: "Throughput: the whole machine's CPU during the same runs",
        note: `This machine has ${r.machine.cores} cores. Busy = CPU seconds the machine spent over all cores (load generator, server, tcpdump, everything) ÷ the run's length. CPU s/GB = those seconds per GB streamed. CPU allows = the baseline's CPU s/GB ÷ tcpscope's, same round: with every core busy on both sides, no tcpscope can stream a larger share of its baseline's rate than this, however its work is spread over threads.`,
        columns: ['buffer', 'reply', 'busy tcpscope', 'busy onread+tcpdump', 'CPU s/GB tcpscope', 'CPU s/GB onread+tcpdump', 'CPU allows', 'ratio', 'busy --no-capture', 'busy onread', 'CPU allows --no-capture', 'ratio --no-capture'],
        rows: r.throughput.map((c) => [
          String(c.bufferSize),
          c.reply,
          spread(c.machineCores?.tcpscope ?? none, 2),
          spread(c.machineCores?.onreadcap ?? none, 2),
          spread(c.machineCpuPerGb?.tcpscope ?? none, 1),
          spread(c.machineCpuPerGb?.onreadcap ?? none, 1),
          spread(c.cpuAllows?.tcpscope ?? none, 2),
          spread(c.ratio.tcpscope ?? none, 2),
          spread(c.machineCores?.nocapture ?? none, 2),
          spread(c.machineCores?.onread ?? none, 2),
          spread(c.cpuAllows?.nocapture ?? none, 2),
          spread(c.ratio.nocapture ?? none, 2),
        ]),
      });
    }
    const failed = r.throughput.flatMap((c) => (c.errors ?? []).map((e) => `buffer ${c.bufferSize}, reply ${c.reply}: ${e}`));
    if (failed.length > 0) tables[throughputTable]!.note += ` Failed runs (left out of the medians): ${failed.join('; ')}.`;
  }
  if (r.latency) {
    const l = r.latency;
    const row = (k: ServerKind): string[] => [
      SERVER_LABELS[k],
      spread(l.p50Us[k] ?? none, 1),
      spread(l.p99Us[k] ?? none, 1),
      l.p50Ratio[k] ? spread(l.p50Ratio[k], 2) : '',
    ];
    tables.push({
      title: `Latency: ping-pong of ${l.size}-byte messages, ${l.count.toLocaleString('en-US')} round trips, reply echo`,
      note: 'p50 ÷ baseline: capture-on tcpscope ÷ the onread baseline with a bare tcpdump (tcpscope\'s capture flags) on its port, --no-capture ÷ the bare onread baseline, same round.',
      columns: ['server', 'p50 µs', 'p99 µs', 'p50 ÷ baseline'],
      rows: (['tcpscope', 'nocapture', 'onread', 'onreadcap', 'plain'] as const).map(row),
    });
  }
  if (r.scale) {
    const kinds = ['tcpscope', 'nocapture', 'onread', 'plain'] as const;
    tables.push({
      title: 'Scale: concurrent connections, each streaming with echo (buffer 1024); then as many held open',
      note: 'KB/conn = (server RSS with the connections open and idle − RSS before they opened) ÷ connections, each having echoed 1 KiB; from 100 connections.',
      columns: ['connections', 'bytes each', ...kinds.map((k) => `${SHORT[k]} MB/s`), 'ratio', 'ratio --no-capture', ...kinds.map((k) => `${SHORT[k]} KB/conn`)],
      rows: r.scale.map((c) => {
        const kb = (s: Summary | undefined) => (c.conns < 100 || !s ? '—' : spread(s, 1, 1000));
        return [
          c.conns.toLocaleString('en-US'),
          size(c.bytesPerConn),
          ...kinds.map((k) => spread(c.mbps[k] ?? none)),
          spread(c.ratio.tcpscope ?? none, 2),
          spread(c.ratio.nocapture ?? none, 2),
          ...kinds.map((k) => kb(c.rssPerConnBytes[k])),
        ];
      }),
    });
  }
  if (r.fanout) {
    tables.push({
      title: 'Fan-out: WebSocket subscribers reading during a stream (tcpscope --no-capture, buffer 1024, reply none)',
      note: 'CPU = tcpscope user+system time during the stream; per subscriber = live-stream bytes each subscriber received per second.',
      columns: ['subscribers', 'tcpscope MB/s', 'onread MB/s', 'ratio', 'tcpscope CPU cores', 'CPU s per GB', 'per subscriber MB/s', 'missed'],
      rows: r.fanout.map((c) => [
        String(c.subscribers),
        spread(c.tcpscopeMbps),
        spread(c.onreadMbps),
        spread(c.ratio, 2),
        spread(c.cpuCores, 2),
        spread(c.cpuSecPerGb, 2),
        spread(c.perSubscriberMbps, 2),
        String(c.missed),
      ]),
    });
  }
  const variants = ['tcpscope', 'nocapture'] as const;
  if (r.writeToWs) {
    const ws = r.writeToWs;
    tables.push({
      title: `Write to browser: a client's write until its read event reaches a WebSocket subscriber (batch every ${ws.tcpscope?.batchIntervalMs ?? '?'} ms)`,
      columns: ['server', 'samples', 'p50 ms', 'p99 ms', 'max ms', 'lost'],
      rows: variants.flatMap((k) => {
        const w = ws[k];
        return w ? [[SERVER_LABELS[k], String(w.samples), fmt(w.p50Ms, 1), fmt(w.p99Ms, 1), fmt(w.maxMs, 1), String(w.lost)]] : [];
      }),
    });
  }
  if (r.flood) {
    const fl = r.flood;
    tables.push({
      title: 'Flood: one connection into a fresh tcpscope, reply none, buffer 1024, one subscriber reading and one stalled',
      columns: ['server', 'bytes', 'MB/s', 'RSS start MB', 'RSS peak MB', 'RSS after MB', 'bytesRead exact', 'stalled subscriber'],
      rows: variants.flatMap((k) => {
        const f = fl[k];
        if (!f) return [];
        return [
          [
            SERVER_LABELS[k],
            size(f.bytes) + (f.stoppedEarly ? ' (time limit)' : ''),
            fmt(f.mbps, 0),
            fmt(f.rssStart / MB, 0),
            fmt(f.rssPeak / MB, 0),
            fmt(f.rssAfter / MB, 0),
            f.exact ? `yes (${f.reads.toLocaleString('en-US')} reads)` : `NO: ${f.bytesRead} of ${f.bytes}`,
            f.missed === null ? 'no `missed` message' : `missed ${f.missed.toLocaleString('en-US')}${f.resynced ? ', then a snapshot' : ''}`,
          ],
        ];
      }),
    });
  }
  if (r.memory) {
    const m = r.memory;
    const f = m.fourPeers;
    const cap = f.capture as { framesSeen?: number; segmentsSummarized?: number; framesDropped?: number } | null;
    tables.push({
      title: 'Memory: tcpscope as `npm start` runs it (capture on, reply ack), each case in a fresh process',
      columns: ['case', 'what', 'RSS start MB', 'RSS peak MB', 'RSS after MB', 'counts'],
      rows: [
        ['idle', `${m.idleAfterMs / 1000} s after start, one subscriber`, '', fmt(m.idleRss / MB, 0), '', ''],
        [
          `${f.conns} peers`,
          `buffer ${f.bufferSize}, ${f.seconds} s, ${size(f.bytesSent)} sent, one subscriber`,
          fmt(f.rssStart / MB, 0),
          fmt(f.rssPeak / MB, 0),
          fmt(f.rssAfter / MB, 0),
          (f.exact ? 'exact' : 'NOT exact') +
            (cap ? `; ${cap.framesSeen ?? '?'} frames` + (cap.segmentsSummarized !== undefined ? `, ${cap.segmentsSummarized} summarised` : '') + (cap.framesDropped !== undefined ? `, ${cap.framesDropped} dropped` : '') : ''),
        ],
      ],
    });
  }
  return tables;
}

export function renderText(tables: Table[]): string {
  const out: string[] = [];
  for (const t of tables) {
    out.push(t.title);
    const widths = t.columns.map((c, i) => Math.max(c.length, ...t.rows.map((r) => (r[i] ?? '').length)));
    const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    out.push('  ' + line(t.columns));
    out.push('  ' + widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of t.rows) out.push('  ' + line(r));
    if (t.note) out.push('  ' + t.note);
    out.push('');
  }
  return out.join('\n');
}

export function renderMarkdown(tables: Table[]): string {
  const out: string[] = [];
  const esc = (s: string) => s.replaceAll('|', '\\|');
  for (const t of tables) {
    out.push(`### ${t.title}`, '');
    out.push(`| ${t.columns.map(esc).join(' | ')} |`);
    out.push(`| ${t.columns.map((_, i) => (i < 2 ? '---' : '---:')).join(' | ')} |`);
    for (const r of t.rows) out.push(`| ${r.map(esc).join(' | ')} |`);
    if (t.note) out.push('', t.note);
    out.push('');
  }
  return out.join('\n');
}
