// What a server process costs, read from /proc (Linux): resident memory and CPU time.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

function clockTicksPerSecond(): number {
  try {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(n) && n > 0 ? n : 100;
  } catch {
    return 100;
  }
}
const TICKS = clockTicksPerSecond();

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Resident set size in bytes (VmRSS). */
export function rssBytes(pid: number): number {
  return statusField(pid, 'VmRSS');
}

/** The process's peak resident set size so far, in bytes (VmHWM). */
export function peakRssBytes(pid: number): number {
  return statusField(pid, 'VmHWM');
}

/** User + system CPU seconds the process has used (utime + stime of /proc/PID/stat). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS; // fields 14 and 15 of the full line
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU seconds the whole machine has spent busy so far, over all cores (/proc/stat: user, nice, system,
 * irq, softirq and steal; not idle or iowait). A run's difference, divided by its length, is how many
 * cores the machine kept busy: the load generator, the server, tcpdump, and anything else.
 */
export function machineBusySeconds(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / TICKS;
  } catch {
    return Number.NaN;
  }
}

/**
 * Waits until the process has used less than `busyBelow` of a core over `windowMs` (or `maxMs` passed):
 * a server that still digests the last run (tcpscope parsing captured packets, say) would otherwise
 * take CPU from the next run, which may be another server's. Resolves with how long it waited.
 */
export async function waitIdle(pid: number, { windowMs = 100, busyBelow = 0.1, maxMs = 5000 } = {}): Promise<number> {
  const start = Date.now();
  let prev = cpuSeconds(pid);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const now = cpuSeconds(pid);
    const waited = Date.now() - start;
    if (!(now - prev >= (busyBelow * windowMs) / 1000) || waited >= maxMs) return waited;
    prev = now;
  }
}

/** Samples RSS every `everyMs` until stopped; `stop` returns the highest sample. */
export function sampleRss(pid: number, everyMs: number): { stop(): number; peak(): number } {
  let peak = rssBytes(pid);
  const timer = setInterval(() => {
    const v = rssBytes(pid);
    if (v > peak) peak = v;
  }, everyMs);
  return {
    peak: () => peak,
    stop() {
      clearInterval(timer);
      const v = rssBytes(pid);
      return v > peak ? v : peak;
    },
  };
}
