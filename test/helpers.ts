// Test helpers: start tcpscope on free ports, talk to it over real sockets, and wait for events
// (never for time).
import net from 'node:net';
import { once } from 'node:events';
import WebSocket from 'ws';
import type { TcpEvent } from '../shared/events.ts';
import type { ServerMessage } from '../shared/live.ts';
import { startTcpscope, type Tcpscope, type TcpscopeOptions } from '../server/app.ts';
import type { StoredEvent } from '../server/events/stored-event.ts';

/** Without tcpdump unless a test asks for `capture: true`: most tests do not look at the wire. */
export async function startTestScope(options: Partial<TcpscopeOptions> = {}): Promise<Tcpscope> {
  return startTcpscope({ httpPort: 0, tcpPort: 0, staticDir: '/nonexistent', capture: false, ...options });
}

/**
 * How long a wait on an event may take before it fails on its own, well inside the test's timeout, so that a
 * bug shows as "gave up waiting for X" rather than as a bare test timeout. A deadline, never an assertion on time.
 */
export const WAIT_DEADLINE_MS = 25_000;

/** What a wait was for: the caller's words, or the source of its predicate. */
function described(what: string | undefined, match: (...args: never[]) => unknown): string {
  return what ?? match.toString().replace(/\s+/g, ' ').slice(0, 200);
}

/**
 * Settles `promise`-style waits with a deadline: `start` gets `resolve` and returns its own cleanup; after
 * WAIT_DEADLINE_MS the wait rejects with a message naming what it awaited.
 */
export function withDeadline<T>(helper: string, what: string, start: (resolve: (v: T) => void) => () => void, ms = WAIT_DEADLINE_MS): Promise<T> {
  return new Promise((resolve, reject) => {
    let stop: () => void = () => {};
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${helper}: gave up after ${ms} ms waiting for ${what}`));
    }, ms);
    stop = start((v) => {
      clearTimeout(timer);
      stop();
      resolve(v);
    });
  });
}

/**
 * Waits until every connection closed so far has had its last socket sample (ss samples a closed connection
 * once more): a pass may be under way from before the close, so a second one follows it. After this, the
 * store changes only with new traffic.
 */
export async function settleSamples(scope: Tcpscope): Promise<void> {
  await scope.capture.sampleNow();
  await scope.capture.sampleNow();
}

/** Resolves with the first recorded event (from now on) that matches; fails naming `what` (or the predicate) after the deadline. */
export function nextEvent<E extends StoredEvent>(scope: Tcpscope, match: (e: StoredEvent) => e is E, what?: string): Promise<E>;
export function nextEvent(scope: Tcpscope, match: (e: StoredEvent) => boolean, what?: string): Promise<StoredEvent>;
export function nextEvent(scope: Tcpscope, match: (e: StoredEvent) => boolean, what?: string): Promise<StoredEvent> {
  return withDeadline<StoredEvent>('nextEvent', described(what, match), (resolve) => {
    const stop = scope.recorder.subscribe((e) => {
      if (match(e)) resolve(e);
    });
    return stop;
  });
}

/** Collects events until `done` says so; resolves with all of them; fails naming `what` (or the predicate) after the deadline. */
export function collectUntil(scope: Tcpscope, done: (all: StoredEvent[]) => boolean, what?: string): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  return withDeadline<StoredEvent[]>('collectUntil', described(what, done), (resolve) => {
    const stop = scope.recorder.subscribe((e) => {
      all.push(e);
      if (done(all)) resolve(all);
    });
    return stop;
  });
}

/** Awaits `cond`, checked once per turn of the event loop, failing with a message naming `what` after `turns` turns. */
export async function untilTrue(what: string, cond: () => boolean, turns = 500_000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (cond()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`untilTrue: gave up after ${turns} turns of the event loop waiting for ${what}`);
}

export async function connectTcp(port: number, host = '127.0.0.1'): Promise<net.Socket> {
  const socket = net.connect({ port, host });
  await once(socket, 'connect');
  return socket;
}

/**
 * A client that never reads: its own user buffer and reading stopped at once, so whatever the server
 * sends stays in the kernel's receive queue, and closing it sends RST instead of FIN.
 */
export async function connectUnreading(port: number, host = '127.0.0.1'): Promise<net.Socket> {
  const socket = net.connect({ port, host, onread: { buffer: Buffer.alloc(64), callback: () => false } });
  socket.on('error', () => {});
  await once(socket, 'connect');
  socket.pause();
  return socket;
}

/** Writes the tutorial's three lines in one corked batch: they leave as one segment. */
export function corkedWrites(socket: net.Socket, chunks: string[]): void {
  socket.cork();
  for (const c of chunks) socket.write(c);
  socket.uncork();
}

export async function json<T = unknown>(scope: Tcpscope, method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(scope.httpUrl + url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** A WebSocket client that queues every server message so tests can await the next one that matches. */
export class WsClient {
  readonly messages: ServerMessage[] = [];
  private waiters: { match: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as ServerMessage;
      this.messages.push(m);
      this.waiters = this.waiters.filter((w) => (w.match(m) ? (w.resolve(m), false) : true));
    });
  }
  static async open(scope: Tcpscope, headers: Record<string, string> = {}): Promise<WsClient> {
    const ws = new WebSocket(scope.httpUrl.replace('http', 'ws') + '/ws', { headers });
    const client = new WsClient(ws);
    await once(ws, 'open');
    return client;
  }
  /** The first message, already received or still to come, after index `from`, that matches; fails naming `what` after the deadline. */
  waitFor<M extends ServerMessage>(match: (m: ServerMessage) => m is M, from?: number, what?: string): Promise<M>;
  waitFor(match: (m: ServerMessage) => boolean, from?: number, what?: string): Promise<ServerMessage>;
  waitFor(match: (m: ServerMessage) => boolean, from = 0, what?: string): Promise<ServerMessage> {
    const seen = this.messages.slice(from).find(match);
    if (seen) return Promise.resolve(seen);
    const types = () => this.messages.slice(from).map((m) => m.type).join(',') || 'none';
    return withDeadline<ServerMessage>('WsClient.waitFor', described(what, match), (resolve) => {
      const waiter = { match, resolve };
      this.waiters.push(waiter);
      return () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
      };
    }).catch((err: Error) => {
      throw new Error(`${err.message} (messages since: ${types()})`);
    });
  }
  /** Every event received in batches and snapshots so far. */
  events(): TcpEvent[] {
    return this.messages.flatMap((m) => (m.type === 'batch' || m.type === 'snapshot' ? m.events : []));
  }
  close(): void {
    this.ws.close();
  }
}

/**
 * Streams 256 KiB writes into `socket` (connected to the echo port, reading nothing back) until the hub finds
 * a subscriber lagging, at most 256 MiB; returns the bytes written. After each write it waits for `witness`,
 * a subscriber that reads, to get the batch that counts them: the stalled one was offered the same batch.
 */
export async function streamUntilLagging(scope: Tcpscope, socket: net.Socket, witness: WsClient): Promise<number> {
  const chunk = Buffer.alloc(256 * 1024, 0x41);
  let sent = 0;
  for (let i = 0; i < 1024 && scope.hub.laggingCount === 0; i++) {
    const from = witness.messages.length;
    socket.write(chunk);
    const target = (sent += chunk.length);
    await witness.waitFor((m) => m.type === 'batch' && m.connections.some((c) => c.localPort === scope.tcpPort && c.bytesRead >= target), from, `the batch counting ${target} bytes read`);
  }
  return sent;
}
