// Misbehaving live-stream clients: ones that vanish without a close frame, and a tab that reconnects
// in a loop (politely or by dropping the connection). The hub forgets every one of them, descriptors
// come back, and the stream still works for the client that stays.
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { type WebSocketServer } from 'ws';
import type { Tcpscope } from '../../server/app.ts';
import { startTestScope, WsClient } from '../helpers.ts';
import { httpRequest, openFdCount, silentWsPeer } from '../raw-clients.ts';

let scope: Tcpscope;
let wss: WebSocketServer;
let baselineFds: number;

/** Resolves when every server-side socket opened from now on has closed. */
function serverSocketsClosed(expected: number): Promise<void> {
  return new Promise((resolve) => {
    let opened = 0;
    let closedCount = 0;
    const onConnection = (ws: WebSocket) => {
      opened++;
      if (opened === expected) wss.off('connection', onConnection);
      ws.once('close', () => ++closedCount === expected && resolve());
    };
    wss.on('connection', onConnection);
  });
}

/** A live subscriber still gets batches: the stream works. */
async function streamWorks(): Promise<void> {
  const watcher = await WsClient.open(scope);
  await watcher.waitFor((m) => m.type === 'snapshot');
  const from = watcher.messages.length;
  await httpRequest(`${scope.httpUrl}/api/config`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"paused":false}' });
  await watcher.waitFor((m) => m.type === 'batch' && m.events.some((e) => e.kind === 'config'), from);
  const gone = once(watcher.ws, 'close');
  watcher.close();
  await gone;
}

beforeAll(async () => {
  scope = await startTestScope({ heartbeatMs: 30 });
  wss = (scope.app as unknown as { websocketServer: WebSocketServer }).websocketServer;
  const warm = serverSocketsClosed(1);
  await streamWorks();
  await warm;
  baselineFds = openFdCount();
});
afterAll(async () => {
  await scope.close();
});

describe('WebSocket faults', () => {
  it('clients that vanish without a close frame are found by ping/pong and dropped', async () => {
    const port = Number(new URL(scope.httpUrl).port);
    const dropped = serverSocketsClosed(5);
    const silent = await Promise.all(Array.from({ length: 5 }, () => silentWsPeer(port)));
    await dropped;
    expect(scope.hub.subscriberCount).toBe(0);
    for (const s of silent) s.destroy();
    await Promise.all(silent.map((s) => (s.closed ? undefined : once(s, 'close'))));
    await streamWorks();
  });

  it('a tab that reconnects in a loop, closing politely or dropping the line, leaves nothing behind', async () => {
    const url = `${scope.httpUrl.replace('http', 'ws')}/ws`;
    const rounds = 200;
    const allClosed = serverSocketsClosed(rounds);
    for (let i = 0; i < rounds; i++) {
      const ws = new WebSocket(url);
      await once(ws, 'open');
      const gone = once(ws, 'close');
      if (i % 2 === 0) ws.close();
      else ws.terminate(); // no close frame: the server sees the TCP connection end
      await gone;
    }
    await allClosed;
    expect(scope.hub.subscriberCount).toBe(0);
    expect(wss.clients.size).toBe(0);
    await streamWorks();
  });

  it('leaks no file descriptor', async () => {
    const last = serverSocketsClosed(1);
    await streamWorks();
    await last;
    expect(openFdCount()).toBe(baselineFds);
  });
});
