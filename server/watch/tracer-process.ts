// The tracer at the end of the pipeline: bpftrace (eBPF) or strace, one process per watched server,
// its output split into lines and handed on. The tracer is started under `setpriv --pdeathsig KILL`, so
// that it dies with tcpscope even on SIGKILL; bpftrace also prints a heartbeat every second, so that a
// broken pipe ends it. Neither stops the traced server: eBPF never touches it, and strace's ptrace
// detach (or death) lets it run on.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { WatchMechanism } from '../../shared/watch.ts';
import { WATCH_PREVIEW_BYTES } from '../../shared/limits.ts';
import { BPF_MAP_KEYS, bpftraceScript } from './bpftrace-script.ts';
import { parseBpftraceLine } from './bpftrace-line.ts';
import { StraceLineParser } from './strace-line.ts';
import type { TraceCall } from './trace-call.ts';

/** A line longer than this is no line of ours: dropped, not buffered. */
const MAX_LINE = 64 * 1024;
/** Kept of the tracer's stderr, to say why it failed. */
const MAX_STDERR = 4096;
/** Per-CPU pages of bpftrace's output ring: a larger ring loses fewer previews under bursts. */
const PERF_RB_PAGES = '2048';

export const STRACE_CALLS = 'read,recvfrom,readv,recvmsg,write,sendto,writev,sendmsg,sendfile,close,accept,accept4';

export function tracerArgv(mechanism: WatchMechanism, pid: number, port: number): string[] {
  if (mechanism === 'ebpf') return ['bpftrace', '-B', 'none', '-e', bpftraceScript(pid, port)];
  // strace writes its trace to stderr (with -o it would need a path it can open; a pipe is not one).
  return ['strace', '-f', '-yy', '-xx', '-s', String(WATCH_PREVIEW_BYTES), '-e', `trace=${STRACE_CALLS}`, '-p', String(pid)];
}

export interface TracerEvents {
  onCall(call: TraceCall): void;
  /** The tracer is in place: from now on every call is seen. */
  onReady(): void;
  /** It ended; `reason` is its last error line when it failed. */
  onExit(reason: string | null): void;
}

export class TracerProcess {
  private child: ChildProcess | null = null;
  private stderr = '';
  private ready = false;
  private stopping = false;

  constructor(
    readonly mechanism: WatchMechanism,
    readonly pid: number,
    private readonly port: number,
    private readonly events: TracerEvents,
  ) {}

  start(): void {
    let argv = tracerArgv(this.mechanism, this.pid, this.port);
    if (existsSync("/usr/bin/setpriv")) argv = ['/usr/bin/setpriv', '--pdeathsig', 'KILL', '--', ...argv];
    const child = spawn(argv[0]!, argv.slice(1), {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, BPFTRACE_PERF_RB_PAGES: PERF_RB_PAGES, BPFTRACE_MAP_KEYS_MAX: String(BPF_MAP_KEYS) },
    });
    this.child = child;
    const strace = this.mechanism === 'strace' ? new StraceLineParser(this.pid) : null;
    // bpftrace's calls come on stdout and its complaints on stderr; strace's calls and messages both on stderr.
    const calls = strace ? child.stderr! : child.stdout!;
    let partial = '';
    calls.setEncoding('latin1');
    calls.on('data', (text: string) => {
      const lines = (partial + text).split('\n');
      partial = lines.pop()!;
      if (partial.length > MAX_LINE) partial = '';
      for (const line of lines) {
        if (!this.ready && (strace ? /^strace: Process \d+ attached/.test(line) : line === 'READY')) this.markReady();
        if (strace && line.startsWith('strace: ')) this.keepStderr(line + '\n');
        if (!strace && line === 'B') this.fail('error: the saved registers do not hold the syscall arguments on this kernel (bpftrace-script.ts: argsAtExit)');
        const call = strace ? strace.push(line) : parseBpftraceLine(line);
        if (call) this.events.onCall(call);
      }
    });
    if (!strace) {
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (text: string) => this.keepStderr(text));
    } else child.stdout!.resume();
    child.on('error', (err) => this.finish(err.message));
    child.on('exit', (code, signal) => this.finish(this.stopping ? null : failure(this.stderr, code, signal)));
  }

  /** The tracer's own process id (tests check that a restart of the watched server kept the same tracer). */
  get childPid(): number | null {
    return this.child?.pid ?? null;
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** Stops tracing; resolves once the tracer has exited (the traced process runs on). */
  stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    this.stopping = true;
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      // SIGINT: bpftrace detaches its probes and exits; strace detaches from every thread and exits.
      child.kill('SIGINT');
      const force = setTimeout(() => child.kill('SIGKILL'), 3000);
      force.unref();
    });
  }

  /** A tracer that cannot be trusted is stopped, and its exit says why. */
  private fail(reason: string): void {
    this.keepStderr(reason + '\n');
    this.child?.kill('SIGKILL');
  }

  private keepStderr(text: string): void {
    if (text.includes('RLIMIT_MEMLOCK')) return; // bpftrace's harmless complaint on kernels that account BPF memory by cgroup
    this.stderr = (this.stderr + text).slice(-MAX_STDERR);
  }

  private markReady(): void {
    this.ready = true;
    this.events.onReady();
  }

  private exited = false;
  private finish(reason: string | null): void {
    if (this.exited) return;
    this.exited = true;
    this.events.onExit(reason);
  }
}

function failure(stderr: string, code: number | null, signal: NodeJS.Signals | null): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const last = lines.filter((l) => /error|denied|not permitted|no such/i.test(l)).pop() ?? lines.pop();
  return last ?? `exited with ${signal ?? `status ${code}`}`;
}
