// A subscriber that vanishes without a close frame is found by ping/pong and dropped; one that
// answers stays, however many pings go by.
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket as ServerSocket, WebSocketServer } from 'ws';
import type { Tcpscope } from '../app.ts';
import { startTestScope, WsClient } from '../../test/helpers.ts';
import { silentWsPeer } from '../../test/raw-clients.ts';

let scope: Tcpscope;
beforeAll(async () => {
  scope = await startTestScope({ heartbeatMs: 40 });
});
afterAll(async () => {
  await scope.close();
});

function nextServerSocket(): Promise<ServerSocket> {
  const wss = (scope.app as unknown as { websocketServer: WebSocketServer }).websocketServer;
  return once(wss, 'connection').then(([ws]) => ws as ServerSocket);
}

describe('heartbeat', () => {
  it('drops a subscriber that stops answering, and keeps one that answers', async () => {
    const live = await WsClient.open(scope);
    let pings = 0;
    const threePings = new Promise<void>((resolve) => live.ws.on('ping', () => ++pings === 3 && resolve()));

    const serverSide = nextServerSocket();
    const silent = await silentWsPeer(Number(new URL(scope.httpUrl).port));
    const dropped = once(await serverSide, 'close');
    expect(scope.hub.subscriberCount).toBe(2);

    await dropped;
    expect(scope.hub.subscriberCount).toBe(1);
    await threePings;
    expect(live.ws.readyState).toBe(live.ws.OPEN);
    expect(scope.hub.subscriberCount).toBe(1);
    silent.destroy();
    live.close();
  });
});
