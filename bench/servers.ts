// The servers under test, each in its own process: tcpscope as `npm start` runs it, and the two
// baselines. One handle type for all three, so that a scenario runs the same steps against each.
import { type ChildProcess, spawn } from 'node:child_process';
import { buildServerIfNeeded } from '../scripts/build-server-if-needed.mjs';
import { buildWebIfNeeded } from '../scripts/build-web-if-needed.mjs';
import path from 'node:path';
import { closeSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tcpdumpCommand } from '../server/capture/tcpdump-source.ts';
import type { BaselineReply, ControlReply, ControlRequest, ReadTotals } from './baselines/control.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** tcpscope as `npm start` runs it; the same with --no-capture (the read path without the wire view); the baselines. */
export type ServerKind = 'tcpscope' | 'nocapture' | 'onread' | 'onreadcap' | 'plain';
export const SERVER_LABELS: Record<ServerKind, string> = {
  tcpscope: 'tcpscope',
  nocapture: 'tcpscope --no-capture',
  onread: 'onread baseline',
  onreadcap: 'onread baseline + bare tcpdump',
  plain: 'plain net echo',
};

/** Whether tcpscope's wire capture (tcpdump) runs, as GET /api/capture reports it. */
export interface CaptureStatus {
  active: boolean;
  reason: string | null;
}

export interface ServerHandle {
  kind: ServerKind;
  pid: number;
  tcpPort: number;
  /** The dashboard and API (tcpscope only). */
  httpUrl: string | null;
  capture(): Promise<CaptureStatus | null>;
  configure(bufferSize: number, reply: BaselineReply): Promise<void>;
  /** Reads and bytes of the connection whose client port is `clientPort`, counted since `mark()`. */
  mark(): Promise<void>;
  readsOf(clientPort: number): Promise<ReadTotals>;
  stop(): Promise<void>;
}

/**
 * Where the servers run, as the kernel's scheduler sees them. Linux puts every session in an autogroup of its
 * own (sched_autogroup_enabled, on by default) and shares the CPUs between busy groups before it shares a
 * group's part between its threads. So a measured server in a session of its own competes with the load
 * generator's whole session as one group, with every thread it has (tcpscope's capture thread and tcpdump
 * count against its echo), while a server in the bench's session competes thread by thread. Both sides of a
 * ratio must run alike: `shared` (the default) runs every server, baseline and tcpdump in the bench's
 * session, as the baselines always ran; `separate` (--separate-sessions) gives each server, each baseline and
 * the bare tcpdump a session of its own, as programs started in separate terminals have.
 */
export const arrangement: { sessions: 'shared' | 'separate' } = { sessions: 'shared' };
const ownSession = (): boolean => arrangement.sessions === 'separate';

const live = new Map<ChildProcess, boolean>();
process.on('exit', () => {
  for (const [child, group] of live) {
    try {
      // A group leader (a server in a session of its own) takes its own children (tcpdump, ss) with it.
      if (group) process.kill(-child.pid!, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** Kills `child` (and its process group, if it leads one) if the bench exits before it does. */
export function track(child: ChildProcess, group = false): ChildProcess {
  live.set(child, group);
  child.once('exit', () => live.delete(child));
  return child;
}

function waitForLine(child: ChildProcess, pattern: RegExp, what: string, timeoutMs = 30000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error(`${what} did not start within ${timeoutMs} ms`)), timeoutMs);
    const onOut = (d: Buffer) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) {
        cleanup();
        resolve(m);
      }
    };
    const onErr = (d: Buffer) => {
      err = (err + d.toString()).slice(-4000);
    };
    const onExit = (code: number | null) => fail(new Error(`${what} exited (${code}) before it listened:\n${err}`));
    const fail = (e: Error) => {
      cleanup();
      reject(e);
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onOut);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onOut);
    child.stderr?.on('data', onErr);
    child.once('exit', onExit);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export interface TcpscopeSpawnOptions {
  bufferSize: number;
  reply: BaselineReply;
  /** Write a V8 CPU profile of the server into this directory when it stops. */
  cpuProfDir?: string | undefined;
  /** More `npm start` flags (--no-capture, say). */
  extraArgs?: string[] | undefined;
}

/** `npm start -- --http-port 0 --tcp-port 0 …`: the compiled server (built first if stale) run with plain Node, as `npm start` runs it, so that the pid is the server's. */
export interface TcpscopeHandle extends ServerHandle {
  /** Reads and bytes over every connection tcpscope lists (the open ones and the last 100 closed). */
  totalRead(): Promise<ReadTotals>;
  /** GET /api/capture as it answers, or null without one. */
  captureDetail(): Promise<Record<string, unknown> | null>;
}

/** As bin/tcpscope.js's shebang and the start script set it (the comment there says why). */
export const TCPSCOPE_GLIBC_TUNABLES = 'glibc.malloc.trim_threshold=131072:glibc.malloc.mmap_threshold=131072:glibc.malloc.arena_max=2';

export async function startTcpscopeProcess(options: TcpscopeSpawnOptions, kind: 'tcpscope' | 'nocapture' = 'tcpscope'): Promise<TcpscopeHandle> {
  if (kind === 'nocapture') options = { ...options, extraArgs: [...(options.extraArgs ?? []), '--no-capture'] };
  // The server and the page it serves (the page scenario opens it), as `npm start` builds them.
  await buildServerIfNeeded({ quiet: true });
  await buildWebIfNeeded({ quiet: true });
  // As `npm start` and the `tcpscope` command run it (bin/tcpscope.js says why).
  const nodeArgs: string[] = ['--max-semi-space-size=2'];
  if (options.cpuProfDir) nodeArgs.push('--cpu-prof', '--cpu-prof-dir', options.cpuProfDir);
  const args = [
    ...nodeArgs,
    'bin/tcpscope.js',
    '--http-port',
    '0',
    '--tcp-port',
    '0',
    '--buffer-size',
    String(options.bufferSize),
    '--reply',
    options.reply,
    ...(options.extraArgs ?? []),
  ];
  // In the bench's session, or a session (and process group) of its own: see `arrangement`. Its tcpdump and
  // ss die with it either way (die-with-parent.ts, ss-coprocess.ts).
  const env = { ...process.env, GLIBC_TUNABLES: TCPSCOPE_GLIBC_TUNABLES };
  const child = track(spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: ownSession() }), ownSession());
  child.stdout!.resume();
  const m = await waitForLine(
    child,
    /tcpscope dashboard: (http:\/\/\S+?)\/?\n[^]*?tcpscope echo server: \S+?:(\d+)/,
    'tcpscope',
  );
  const httpUrl = m[1]!;
  // What tcpscope says on stderr once running (a connection closed by an error, say) belongs in the bench's output.
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(`\n[${kind} pid ${child.pid}] ${d.toString().trimEnd()}\n`));
  const api = async (method: string, url: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(httpUrl + url, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${url}: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  };
  return {
    kind,
    pid: child.pid!,
    tcpPort: Number(m[2]),
    httpUrl,
    async capture() {
      try {
        const s = (await api('GET', '/api/capture')) as CaptureStatus;
        return { active: s.active, reason: s.reason };
      } catch {
        return null; // a tcpscope without the wire view
      }
    },
    async configure(bufferSize, reply) {
      await api('PATCH', '/api/config', { bufferSize, replyMode: reply });
    },
    async mark() {},
    async totalRead() {
      const conns = (await api('GET', '/api/connections')) as { reads: number; bytesRead: number }[];
      return conns.reduce((a, c) => ({ reads: a.reads + c.reads, bytesRead: a.bytesRead + c.bytesRead }), { reads: 0, bytesRead: 0 });
    },
    async captureDetail() {
      try {
        return (await api('GET', '/api/capture')) as Record<string, unknown>;
      } catch {
        return null;
      }
    },
    async readsOf(clientPort) {
      const conns = (await api('GET', '/api/connections')) as { remotePort: number; reads: number; bytesRead: number }[];
      const c = conns.findLast((x) => x.remotePort === clientPort);
      if (!c) throw new Error(`tcpscope has no connection from port ${clientPort}`);
      return { reads: c.reads, bytesRead: c.bytesRead };
    },
    stop: () => stopChild(child),
  };
}

/** tcpdump exactly as tcpscope runs it on `port`, its pcap stream going to /dev/null; resolves once it listens. */
async function startBareTcpdump(port: number): Promise<ChildProcess> {
  const [cmd, ...args] = tcpdumpCommand(port);
  const devNull = openSync('/dev/null', 'w');
  const child = track(spawn(cmd!, args, { stdio: ['ignore', devNull, 'pipe'], detached: ownSession() }), ownSession());
  closeSync(devNull);
  await new Promise<void>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`bare tcpdump did not start listening within 10 s: ${err}`)), 10000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (/listening on /.test(err)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bare tcpdump exited (${code}): ${err.trim()}`));
    });
  });
  child.stderr!.resume();
  return child;
}

/**
 * One of the baselines in bench/baselines/, controlled over Node IPC. `onreadcap` is the onread baseline
 * with a bare tcpdump on its port, run with tcpscope's own capture flags and writing to /dev/null: the
 * capture's own cost then sits on both sides of tcpscope's capture-on ratio, and what remains is
 * tcpscope's work.
 */
export async function startBaselineProcess(
  kind: 'onread' | 'onreadcap' | 'plain',
  bufferSize: number,
  reply: BaselineReply,
): Promise<ServerHandle> {
  const file = kind === 'plain' ? 'bench/baselines/plain-echo.ts' : 'bench/baselines/onread-echo.ts';
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', file, '--buffer-size', String(bufferSize), '--reply', reply],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], detached: ownSession() },
  );
  track(child, ownSession());
  child.stdout!.resume();
  const m = await waitForLine(child, /listening on 127\.0\.0\.1:(\d+)/, file);
  const tcpPort = Number(m[1]);
  const tcpdump = kind === 'onreadcap' ? await startBareTcpdump(tcpPort) : null;
  let queue: Promise<unknown> = Promise.resolve();
  const ask = (req: ControlRequest): Promise<ControlReply> => {
    const next = queue.then(
      () =>
        new Promise<ControlReply>((resolve, reject) => {
          child.once('message', (msg) => resolve(msg as ControlReply));
          if (!child.send(req)) reject(new Error(`${file}: control channel closed`));
        }),
    );
    queue = next.catch(() => undefined);
    return next;
  };
  let marked: ReadTotals = { reads: 0, bytesRead: 0 };
  const totals = async (): Promise<ReadTotals> => {
    const r = await ask({ type: 'stats' });
    if (r.type !== 'stats') throw new Error(`${file}: unexpected control reply`);
    return { reads: r.reads, bytesRead: r.bytesRead };
  };
  return {
    kind,
    pid: child.pid!,
    tcpPort,
    httpUrl: null,
    capture: async () => (tcpdump ? { active: tcpdump.exitCode === null, reason: tcpdump.exitCode === null ? null : 'bare tcpdump exited' } : null),
    async configure(size, mode) {
      await ask({ type: 'config', bufferSize: size, reply: mode });
    },
    async mark() {
      marked = await totals();
    },
    async readsOf() {
      const now = await totals();
      return { reads: now.reads - marked.reads, bytesRead: now.bytesRead - marked.bytesRead };
    },
    stop: async () => {
      if (tcpdump) await stopChild(tcpdump);
      await stopChild(child);
    },
  };
}
