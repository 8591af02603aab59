// Runs the load generator in its own process: the C one, compiled with `cc` for this run, or the
// Node one when there is no compiler. Parses its one-line JSON result.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT, track } from '../servers.ts';

export interface Loadgen {
  impl: 'c' | 'node';
  /** Why the C one is not in use, when it is not. */
  note: string | null;
  command: string;
  prefix: string[];
}

export interface StreamResult {
  impl: string;
  conns: number;
  bytesSent: number;
  bytesReceived: number;
  /** Reply ack: the sum of N over the `Received: N` replies (the load generator checks it equals bytesSent). */
  ackedBytes?: number;
  elapsedNs: number;
  connectNs: number;
  localPort: number;
  /** The time limit ended the stream before all bytes were sent. */
  stoppedEarly: boolean;
}

export interface PingPongResult {
  impl: string;
  count: number;
  p50Ns: number;
  p90Ns: number;
  p99Ns: number;
  p999Ns: number;
  maxNs: number;
  meanNs: number;
}

const NODE_LOADGEN: Omit<Loadgen, 'note'> = {
  impl: 'node',
  command: process.execPath,
  prefix: ['--import', 'tsx', path.join(ROOT, 'bench/loadgen/loadgen.ts')],
};

/** Compiles bench/loadgen/loadgen.c into `workDir`; falls back to the Node load generator. */
export async function prepareLoadgen(workDir: string, forceNode = false): Promise<Loadgen> {
  if (forceNode) return { ...NODE_LOADGEN, note: 'asked for with --node-loadgen' };
  const out = path.join(workDir, 'loadgen');
  try {
    await promisify(execFile)('cc', ['-O2', '-o', out, path.join(ROOT, 'bench/loadgen/loadgen.c')]);
    return { impl: 'c', note: null, command: out, prefix: [] };
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no `cc` on this machine' : 'cc failed';
    return { ...NODE_LOADGEN, note: why };
  }
}

function run(lg: Loadgen, args: string[]): { child: ChildProcess; result: Promise<string> } {
  const child = track(spawn(lg.command, [...lg.prefix, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] }));
  const result = new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    child.on('exit', (code) => {
      if (!out.includes('\n')) reject(new Error(`loadgen ${args[0]} exited (${code}): ${err.trim()}`));
    });
    child.on('error', reject);
  });
  return { child, result };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export interface StreamOptions {
  port: number;
  conns: number;
  bytesPerConn: number;
  reply: 'none' | 'echo' | 'ack';
  /** Stop sending after this many seconds (0: send every byte). */
  maxSeconds?: number;
}

/** Streams and waits until the server has read (and echoed) everything and closed. */
export async function stream(lg: Loadgen, o: StreamOptions): Promise<StreamResult> {
  const { child, result } = run(lg, ['stream', '127.0.0.1', String(o.port), String(o.conns), String(o.bytesPerConn), o.reply, '0', String(o.maxSeconds ?? 0)]);
  const line = await result;
  await exited(child);
  return JSON.parse(line) as StreamResult;
}

/** Streams with echo and keeps the connections open until `release()`. */
export async function streamAndHold(
  lg: Loadgen,
  o: Omit<StreamOptions, 'reply'>,
): Promise<{ result: StreamResult; release(): Promise<void> }> {
  const { child, result } = run(lg, ['stream', '127.0.0.1', String(o.port), String(o.conns), String(o.bytesPerConn), 'echo', '1', String(o.maxSeconds ?? 0)]);
  const line = await result;
  return {
    result: JSON.parse(line) as StreamResult,
    async release() {
      child.stdin!.end('\n');
      await exited(child);
    },
  };
}

export async function pingpong(lg: Loadgen, o: { port: number; count: number; size: number; warmup: number }): Promise<PingPongResult> {
  const { child, result } = run(lg, ['pingpong', '127.0.0.1', String(o.port), String(o.count), String(o.size), String(o.warmup)]);
  const line = await result;
  await exited(child);
  return JSON.parse(line) as PingPongResult;
}
