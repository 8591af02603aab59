// Clients that ask and never read the answer. A live subscriber that sends hundreds of resyncs and pings
// without reading gets at most one snapshot in flight (the rest coalesced) and no pongs past its cap; HTTP
// clients that request the largest answers and never read them hold at most --max-response-bytes between
// them, the rest get 503 naming the limit. The server answers other requests throughout.
import { once } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { type WebSocketServer } from 'ws';
import type { LimitStatus } from '../../shared/security.ts';
import type { Tcpscope } from '../../server/app.ts';
import { json, startTestScope, untilTrue } from '../helpers.ts';

let scope: Tcpscope;
const CAP = 64 * 1024;

/** Fills the store with `reads` reads of `size` bytes each (the read buffer set to `size`). */
async function fillReads(reads: number, size: number): Promise<void> {
  await json(scope, 'PATCH', '/api/config', { bufferSize: size, replyMode: 'none' });
  const socket = net.connect({ port: scope.tcpPort, host: '127.0.0.1' });
  await once(socket, 'connect');
  const total = reads * size;
  const all = new Promise<void>((resolve) => {
    const stop = scope.recorder.onCount((conn) => {
      if (conn.localPort === scope.tcpPort && conn.remotePort === socket.localPort && conn.bytesRead >= total) {
        stop();
        resolve();
      }
    });
  });
  socket.end(Buffer.alloc(total, 0x41));
  await all;
}

const limits = async () => (await json<LimitStatus>(scope, 'GET', '/api/limits')).body;

beforeAll(async () => {
  // Every read is an event and keeps its whole 4 KiB however fast the store fills, and the store keeps them
  // all: the answers must be the largest there are (with the detail budget and the store's byte bound,
  // EVENT_DETAIL_CHUNKS_PER_SEC and EVENT_STORE_BYTES, they are smaller).
  scope = await startTestScope({
    maxSubscriberBufferedBytes: CAP,
    eventKeptBytesPerSec: Number.POSITIVE_INFINITY,
    eventStoreBytes: Number.POSITIVE_INFINITY,
    eventDetail: { perSec: Number.POSITIVE_INFINITY, burst: Number.POSITIVE_INFINITY },
  });
});
afterAll(async () => {
  await scope.close();
});

describe('answers nobody reads', () => {
  it('a subscriber sending 300 resyncs and 300 pings and reading nothing gets one snapshot in flight at a time, the rest coalesced or dropped', async () => {
    await fillReads(2500, 256); // snapshots of 2,000 events with 256-byte previews: about 2 MB each
    const ws = new WebSocket(scope.httpUrl.replace('http', 'ws') + '/ws');
    await once(ws, 'open');
    (ws as unknown as { _socket: net.Socket })._socket.pause(); // from now on it reads nothing
    const before = scope.hub.messagesHandled;
    const snapshotsBefore = scope.hub.snapshotsSent;
    for (let i = 0; i < 300; i++) {
      ws.send('{"type":"resync"}');
      ws.send(JSON.stringify({ type: 'ping', id: i }));
    }
    await untilTrue('the server to handle the 600 messages', () => scope.hub.messagesHandled >= before + 600);
    const wss = (scope.app as unknown as { websocketServer: WebSocketServer }).websocketServer;
    const server = [...wss.clients][0]!;
    const snapshotBytes = JSON.stringify(scope.hub.snapshot()).length;
    // What waits in the process: at most the cap, one snapshot, and the small answers queued before the cap.
    expect(server.bufferedAmount, 'bytes queued for the unread subscriber').toBeLessThanOrEqual(CAP + snapshotBytes + 300 * 32);
    // The kernel's buffers took some snapshots whole; every other resync was coalesced.
    expect(scope.hub.snapshotsSent - snapshotsBefore).toBeLessThan(100);
    const status = await limits();
    expect(status.refused.wsUnread, 'resyncs coalesced and pongs dropped, counted').toBeGreaterThan(200);
    expect((await json(scope, 'GET', '/api/config')).status).toBe(200);
    ws.terminate();
  }, 60_000);

  it('twelve unread GET /api/events?limit=10000 hold at most --max-response-bytes; the rest get 503 naming it', async () => {
    await fillReads(10_000, 4096); // 10,000 reads of 4 KiB: an answer of about 124 MB of JSON
    const { port } = new URL(scope.httpUrl);
    const admittedBefore = scope.responses.admitted + scope.responses.refused;
    const clients: net.Socket[] = [];
    for (let i = 0; i < 12; i++) {
      const s = net.connect({ port: Number(port), host: '127.0.0.1', onread: { buffer: Buffer.alloc(64), callback: () => false } });
      s.on('error', () => {});
      await once(s, 'connect');
      s.pause();
      s.write(`GET /api/events?limit=10000&kind=read HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      clients.push(s);
    }
    await untilTrue('all twelve requests to be admitted or refused', () => scope.responses.admitted + scope.responses.refused >= admittedBefore + 12);
    const max = (await limits()).limits.maxResponseBytes;
    expect(scope.responses.inFlight, 'bytes held by unread answers').toBeLessThanOrEqual(max);
    expect(scope.responses.refused).toBeGreaterThanOrEqual(9);
    expect((await limits()).refused.responseBytes).toBe(scope.responses.refused);
    // Another large answer is refused with the limit and its flag named; a small one still goes through.
    const res = await json<{ message: string }>(scope, 'GET', '/api/events?limit=10000&kind=read');
    expect(res.status).toBe(503);
    expect(res.body.message).toMatch(/^events: answers in flight already hold \d+ bytes and this one needs up to \d+; at most 134217728 at once \(--max-response-bytes\)/);
    expect((await json(scope, 'GET', '/api/config')).status).toBe(200);
    // Clients that go away give their share back.
    const closedAll = Promise.all(clients.map((c) => once(c, 'close')));
    for (const c of clients) c.destroy();
    await closedAll;
    await untilTrue('the answers of the closed clients to be released', () => scope.responses.inFlight === 0);
    const ok = await fetch(`${scope.httpUrl}/api/events?limit=10&kind=read`);
    expect(ok.status).toBe(200);
    const events = (await ok.json()) as { hex: string; length: number; truncated: boolean }[];
    expect(events).toHaveLength(10);
    // Each read keeps all its bytes; a read may be shorter than the buffer (the sender's bytes had not all
    // arrived), but most are the buffer's whole 4 KiB.
    for (const e of events) expect({ hexChars: e.hex.length, truncated: e.truncated }).toEqual({ hexChars: e.length * 3 - 1, truncated: false });
    expect(events.filter((e) => e.length === 4096).length).toBeGreaterThan(0);
  }, 120_000);

  it('GET /api/events defaults to 1000 events', async () => {
    const events = (await json<unknown[]>(scope, 'GET', '/api/events')).body;
    expect(events, 'the default limit of /api/events (README: 1000)').toHaveLength(1000);
  });
});
