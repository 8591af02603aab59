// Clients that say exactly what a test wants on the wire — any Host, any Origin, no keep-alive pool —
// and a count of this process's open file descriptors, for leak checks.
import { once } from 'node:events';
import { readdirSync, readlinkSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import WebSocket from 'ws';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/**
 * One request on its own connection (no agent, `Connection: close`); resolves once the response is
 * read and the socket is closed, so that it holds no descriptor afterwards.
 */
export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer | undefined; chunked?: boolean } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const result = { status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') };
        if (req.socket?.destroyed !== false) resolve(result);
        else req.socket.once('close', () => resolve(result));
      });
    });
    // Written before end(), a body goes out chunked, with no Content-Length to refuse it by.
    if (options.chunked && options.body !== undefined) req.write(options.body);
    req.end(options.chunked ? undefined : options.body);
  });
}

export function jsonOf<T = { statusCode: number; message: string }>(res: RawResponse): T {
  return JSON.parse(res.text) as T;
}

/** Opens a WebSocket with the given headers: `{ ws }` once open, or `{ status }` if the upgrade was refused. */
export function wsConnect(url: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket } | { status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    ws.once('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}

/** Resolves with the close code and reason once `ws` has closed. */
export async function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  if (ws.readyState === WebSocket.CLOSED) throw new Error('already closed: listen before it closes');
  const [code, reason] = (await once(ws, 'close')) as [number, Buffer];
  return { code, reason: reason.toString() };
}

/**
 * A WebSocket peer that completes the upgrade and then never reads or answers again, like a browser
 * whose machine went to sleep: no pong, no close frame.
 */
export async function silentWsPeer(port: number, host = '127.0.0.1'): Promise<net.Socket> {
  const socket = net.connect({ port, host });
  await once(socket, 'connect');
  socket.write(
    `GET /ws HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  const head = await new Promise<string>((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (!text.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.pause(); // from now on it reads nothing: pings go unanswered
      resolve(text);
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
  if (!head.startsWith('HTTP/1.1 101')) throw new Error(`upgrade refused: ${head.split('\r\n')[0]}`);
  return socket;
}

/** Open socket descriptors of this process. */
export function openFdCount(): number {
  // Sockets only: what a leaked connection holds. The pipes of a short-lived child (the `ss` the sampler runs
  // a few times a second while data moves) come and go on their own schedule and are not a leak.
  let sockets = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:')) sockets++;
    } catch {
      // Closed between the listing and the look (readdirSync's own descriptor is one).
    }
  }
  return sockets;
}
