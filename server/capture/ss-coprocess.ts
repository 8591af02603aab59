// Runs `ss` for the sampler from one long-lived shell instead of one process per tick. Spawning from
// Node forks the whole server: the fork copies its page tables, and until the child execs every page
// the server writes (the event store's byte ring, at every read) takes a copy-on-write fault. At four
// samples a second that cost showed on the read path (perf: copy_page_range, do_wp_page under the
// ring's memmove). A shell forks only itself. It reads one filter per line, runs ss with it, and ends
// the answer with a marker line carrying ss's exit status; it exits when its stdin closes, so it dies
// with the server however the server ends.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface SsCoprocessOptions {
  /** The ss program. */
  command: string;
  /** The arguments before the filter. */
  args: readonly string[];
  /** A run that has not answered by then fails, and the shell is restarted at the next run. */
  timeoutMs: number;
  /** A run whose answer grows past this fails likewise. */
  maxOutputBytes: number;
}

export interface SsCoprocess {
  /** ss's output for `filter` (one line, no newline); rejects with ss's own message when it fails. */
  run(filter: string): Promise<string>;
  /** Ends the shell; resolves once it is gone and its pipes are closed. */
  stop(): Promise<void>;
  /** Shells started so far. */
  starts(): number;
}

/** The shell's loop: `"$@"` is the ss command and its fixed arguments; `$f` the filter read from stdin. */
const LOOP = 'm=$1; shift; while IFS= read -r f; do "$@" "$f" </dev/null 2>&1; echo "$m $?"; done';

export function createSsCoprocess(opts: SsCoprocessOptions): SsCoprocess {
  const marker = `--tcpscope-ss-${randomBytes(8).toString('hex')}--`;
  let proc: ChildProcessWithoutNullStreams | null = null;
  let starts = 0;
  let pending: { resolve(text: string): void; reject(e: Error): void; chunks: Buffer[]; bytes: number; tail: string; timer: NodeJS.Timeout } | null = null;

  function fail(e: Error): void {
    const p = pending;
    pending = null;
    if (p === null) return;
    clearTimeout(p.timer);
    p.reject(e);
  }

  function kill(): Promise<void> {
    const p = proc;
    proc = null;
    if (p === null) return Promise.resolve();
    const closed = new Promise<void>((resolve) => p.once('close', () => resolve()));
    p.stdin.destroy();
    p.kill('SIGKILL');
    return closed;
  }

  function onData(chunk: Buffer): void {
    const p = pending;
    if (p === null) return;
    p.chunks.push(chunk);
    p.bytes += chunk.length;
    if (p.bytes > opts.maxOutputBytes + marker.length + 8) {
      void kill();
      fail(new Error(`ss output exceeded ${opts.maxOutputBytes} bytes`));
      return;
    }
    // The marker line ends the answer; only the last few bytes can hold it, however the pipe split it.
    p.tail = (p.tail + chunk.toString('latin1')).slice(-(marker.length + 8));
    if (!/ \d+\n$/.test(p.tail) || !p.tail.includes(`${marker} `)) return;
    const text = Buffer.concat(p.chunks).toString('utf8');
    const end = text.lastIndexOf(`${marker} `);
    const status = Number(text.slice(end + marker.length + 1).trim());
    const out = text.slice(0, end);
    pending = null;
    clearTimeout(p.timer);
    if (status === 0) p.resolve(out);
    // 127 is the shell's "command not found"; say it in the words a missing program gets elsewhere.
    else if (status === 127) p.reject(new Error(`${opts.command}: not found`));
    else p.reject(new Error(out.trim().split('\n')[0] || `${opts.command} exited with status ${status}`));
  }

  function start(): ChildProcessWithoutNullStreams {
    starts++;
    const child = spawn('sh', ['-c', LOOP, 'sh', marker, opts.command, ...opts.args], { stdio: ['pipe', 'pipe', 'pipe'] });
    // The shell must not keep a stopping server alive, nor its pipes.
    child.unref();
    for (const s of [child.stdin, child.stdout, child.stderr] as unknown as { unref?: () => void }[]) s.unref?.();
    // A shell given up on may still have output in its pipe: it is not the answer to any later run.
    child.stdout.on('data', (chunk: Buffer) => {
      if (proc === child) onData(chunk);
    });
    child.stderr.resume();
    child.stdin.on('error', () => {});
    child.on('error', (e) => {
      if (proc !== child) return;
      proc = null;
      fail(e);
    });
    child.on('exit', (code, signal) => {
      if (proc !== child) return;
      proc = null;
      fail(new Error(`ss shell exited (${signal ?? code})`));
    });
    return child;
  }

  return {
    starts: () => starts,
    run(filter) {
      if (pending !== null) return Promise.reject(new Error('an ss run is in progress'));
      if (filter.includes('\n')) return Promise.reject(new Error('an ss filter is one line'));
      proc ??= start();
      const child = proc;
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          void kill();
          fail(new Error(`ss gave no answer within ${opts.timeoutMs} ms`));
        }, opts.timeoutMs);
        timer.unref();
        pending = { resolve, reject, chunks: [], bytes: 0, tail: '', timer };
        child.stdin.write(`${filter}\n`);
      });
    },
    stop() {
      const gone = kill();
      fail(new Error('ss sampling stopped'));
      return gone;
    },
  };
}
