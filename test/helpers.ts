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

/** Resolves with the first recorded event (from now on) that matches. */
export function nextEvent<E extends StoredEvent>(scope: Tcpscope, match: (e: StoredEvent) => e is E): Promise<E>;
export function nextEvent(scope: Tcpscope, match: (e: StoredEvent) => boolean): Promise<StoredEvent>;
export function nextEvent(scope: Tcpscope, match: (e: StoredEvent) => boolean): Promise<StoredEvent> {
  return new Promise((resolve) => {
    const stop = scope.recorder.subscribe((e) => {
      if (match(e)) {
        stop();
        resolve(e);
      }
    });
  });
}

/** Collects events of one connection until `done` says so; resolves with all of them. */
export function collectUntil(scope: Tcpscope, done: (all: StoredEvent[]) => boolean): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  return new Promise((resolve) => {
    const stop = scope.recorder.subscribe((e) => {
      all.push(e);
      if (done(all)) {
        stop();
        resolve(all);
      }
    });
  });
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
  /** The first message, already received or still to come, after index `from`, that matches. */
  waitFor<M extends ServerMessage>(match: (m: ServerMessage) => m is M, from?: number): Promise<M>;
  waitFor(match: (m: ServerMessage) => boolean, from?: number): Promise<ServerMessage>;
  waitFor(match: (m: ServerMessage) => boolean, from = 0): Promise<ServerMessage> {
    const seen = this.messages.slice(from).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }
  /** Every event received in batches and snapshots so far. */
  events(): TcpEvent[] {
    return this.messages.flatMap((m) => (m.type === 'batch' || m.type === 'snapshot' ? m.events : []));
  }
  close(): void {
    this.ws.close();
  }
}
