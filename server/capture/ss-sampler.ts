// Samples the kernel's view of every open connection on the echo port and the watched ports with
// `ss -tin`: one ss run per tick for all of them (never one per connection), every 250 ms while data moves and every second
// otherwise, and none while no connection is open. An idle socket (empty queues) whose state did not
// change is reported again only after `unchangedEveryMs`, so idle connections do not crowd real events
// out of the store; one with bytes stuck in a queue is reported at every tick, as that is the story.
import type { SocketSide, UnsequencedSample } from '../../shared/wire.ts';
import { canonicalAddress } from './ip-address.ts';
import { tupleKey, type ConnectionTuple } from './segment-tracker.ts';
import { createSsCoprocess } from './ss-coprocess.ts';
import { parseSs, type SsSocket } from './ss-parse.ts';
import { isServerPort, type ServerPorts } from './segment-peek.ts';

export interface SsSamplerOptions {
  /** The server ports: the echo port, or a set of it and the watched ports that may change between runs. */
  port: ServerPorts;
  emit(sample: UnsequencedSample): void;
  /** The ss program; tests may point it elsewhere. */
  command?: string;
  fastMs?: number;
  slowMs?: number;
  /** How long after the last sign of data the fast rate holds. */
  fastForMs?: number;
  /** An unchanged socket is reported again after this long (a heartbeat for the charts). */
  unchangedEveryMs?: number;
  /** With no connection open, the ss shell is kept this long for the next one (SS_SHELL_LINGER_MS). */
  shellLingerMs?: number;
}

export interface SsSampler {
  track(connId: number, tuple: ConnectionTuple): void;
  /** The connection closed: it is sampled once more (its last state), then no longer. */
  untrack(connId: number): void;
  /** Data moved: sample at the fast rate for a while. */
  nudge(): void;
  start(): void;
  /** Stops sampling; resolves once the ss shell is gone. */
  stop(): Promise<void>;
  /** One sampling pass now; resolves when its samples are emitted. */
  sampleOnce(): Promise<void>;
  /** Why the last ss run failed, or null. */
  error(): string | null;
  /** ss shells started so far: for tests and measurements. */
  shellStarts(): number;
}

const SS_TIMEOUT_MS = 2000;
const SS_MAX_OUTPUT = 4 * 1024 * 1024;

/**
 * How long the ss shell outlives the last open connection. Starting it forks the whole server
 * (ss-coprocess.ts), and a fork costs the server a copy-on-write fault on every page it writes next: at a
 * connection's first moments, when a client that reconnects (as the tutorial's does, as the bench's rounds
 * do) streams at full rate. A shell waiting on its stdin costs nothing.
 */
export const SS_SHELL_LINGER_MS = 60_000;

export const nowMs = (): number => performance.timeOrigin + performance.now();

/** ss's filter for both ends of every connection on these server ports: one ss run covers them all. */
export function ssFilter(ports: readonly number[]): string {
  return `( ${ports.map((p) => `sport = :${p} or dport = :${p}`).join(' or ')} )`;
}

export function createSsSampler(opts: SsSamplerOptions): SsSampler {
  const { port, emit } = opts;
  const command = opts.command ?? 'ss';
  const fastMs = opts.fastMs ?? 250;
  const slowMs = opts.slowMs ?? 1000;
  const fastForMs = opts.fastForMs ?? 1000;
  const unchangedEveryMs = opts.unchangedEveryMs ?? 15_000;
  const shellLingerMs = opts.shellLingerMs ?? SS_SHELL_LINGER_MS;
  const byKey = new Map<string, number>();
  const keyOf = new Map<number, string>();
  const closing = new Set<number>();
  // What was last emitted per connection and side, to skip unchanged samples between the slow beats.
  const last = new Map<string, { sig: string; t: number }>();
  let lastData = -Infinity;
  // Data seen since the last schedule: nudge() only sets it (it runs per captured segment), schedule() reads the clock.
  let dataSeen = false;
  /** The wait under way is the slow one: a nudge cuts it short. */
  let slowWait = false;
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let busy: Promise<void> | null = null;
  let err: string | null = null;
  /** When a pass last had a connection to sample. */
  let lastBusyAt = -Infinity;

  // One shell runs every ss of this sampler (ss-coprocess.ts says why not one spawn per tick).
  const ss = createSsCoprocess({ command, args: ['-Htin', 'state', 'connected'], timeoutMs: SS_TIMEOUT_MS, maxOutputBytes: SS_MAX_OUTPUT });

  function run(): Promise<string> {
    return ss.run(ssFilter(typeof port === 'number' ? [port] : [...port]));
  }

  function emitRow(row: SsSocket, t: number): void {
    let side: SocketSide;
    let key: string;
    if (isServerPort(port, row.localPort)) {
      side = 'server';
      key = tupleKey(row.localAddress, row.localPort, row.peerAddress, row.peerPort);
    } else if (isServerPort(port, row.peerPort)) {
      side = 'client';
      key = tupleKey(row.peerAddress, row.peerPort, row.localAddress, row.localPort);
    } else return;
    const connId = byKey.get(key);
    if (connId === undefined) return;
    const sample: UnsequencedSample = {
      kind: 'sample',
      t,
      connId,
      side,
      state: row.state,
      recvQ: row.recvQ,
      sendQ: row.sendQ,
      rttMs: row.rttMs,
      rttVarMs: row.rttVarMs,
      cwnd: row.cwnd,
      sndWnd: row.sndWnd,
      rcvWnd: row.rcvWnd,
      rcvSpace: row.rcvSpace,
      mss: row.mss,
    };
    const sig = `${row.state} ${row.recvQ} ${row.sendQ} ${row.rttMs} ${row.cwnd} ${row.sndWnd} ${row.rcvWnd} ${row.rcvSpace}`;
    const lk = `${connId}/${side}`;
    const prev = last.get(lk);
    // An idle connection costs events only when something changed, and once every `unchangedEveryMs`.
    const idle = row.recvQ === 0 && row.sendQ === 0;
    if (idle && prev !== undefined && prev.sig === sig && t - prev.t < unchangedEveryMs) return;
    last.set(lk, { sig, t });
    emit(sample);
  }

  async function pass(): Promise<void> {
    if (byKey.size === 0) {
      // Nothing to sample: the shell goes too once none has been open for a while (SS_SHELL_LINGER_MS).
      if (nowMs() - lastBusyAt >= shellLingerMs) await ss.stop();
      return;
    }
    lastBusyAt = nowMs();
    const finishing = [...closing];
    let text: string;
    try {
      text = await run();
      err = null;
    } catch (e) {
      err = `ss failed: ${(e as Error).message.split('\n')[0]}`;
      return;
    }
    const t = nowMs();
    // TIME-WAIT sockets matter only as the last state of a connection that just closed.
    for (const row of parseSs(text, { timeWait: finishing.length > 0 })) emitRow(row, t);
    for (const id of finishing) {
      const key = keyOf.get(id);
      if (key !== undefined && byKey.get(key) === id) byKey.delete(key);
      keyOf.delete(id);
      closing.delete(id);
      last.delete(`${id}/server`);
      last.delete(`${id}/client`);
    }
  }

  function sampleOnce(): Promise<void> {
    // Never two ss runs at once: a slow ss delays the next tick instead of piling up processes.
    busy ??= pass().finally(() => {
      busy = null;
    });
    return busy;
  }

  function schedule(): void {
    if (!running) return;
    const now = nowMs();
    if (dataSeen) lastData = now;
    dataSeen = false;
    slowWait = now - lastData >= fastForMs;
    const delay = slowWait ? slowMs : fastMs;
    timer = setTimeout(() => {
      timer = null;
      void sampleOnce().then(schedule);
    }, delay);
    // Sampling alone must not keep a shutting-down process alive.
    timer.unref();
  }

  return {
    track(connId, tuple) {
      const key = tupleKey(canonicalAddress(tuple.localAddress), tuple.localPort, canonicalAddress(tuple.remoteAddress), tuple.remotePort);
      byKey.set(key, connId);
      keyOf.set(connId, key);
      closing.delete(connId);
    },
    untrack(connId) {
      if (keyOf.has(connId)) closing.add(connId);
    },
    nudge() {
      dataSeen = true;
      // Leave the slow wait early so the first moments of a transfer are seen.
      if (slowWait && running && timer !== null && busy === null) {
        clearTimeout(timer);
        schedule();
      }
    },
    start() {
      if (running) return;
      running = true;
      schedule();
    },
    stop() {
      running = false;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      return ss.stop();
    },
    sampleOnce,
    error: () => err,
    shellStarts: () => ss.starts(),
  };
}
