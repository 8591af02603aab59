// The dashboard port cannot eat the process's descriptors: past --max-http-connections a new connection is
// closed at once (counted in /api/limits), the echo server keeps accepting, and a request whose header does
// not arrive within --header-timeout seconds is closed, freeing its slot.
import { once } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tcpscope } from '../../server/app.ts';
import { connectTcp, json, startTestScope, untilTrue, withDeadline } from '../helpers.ts';

let scope: Tcpscope;
const MAX = 20;

beforeAll(async () => {
  scope = await startTestScope({ security: { limits: { maxHttpConnections: MAX, headerTimeoutSeconds: 1 } } });
});
afterAll(async () => {
  await scope.close();
});

/** A connection that sends half a header and then nothing. */
async function halfHeader(port: number): Promise<{ socket: net.Socket; closed: Promise<unknown> }> {
  const socket = net.connect({ port, host: '127.0.0.1' });
  socket.on('error', () => {});
  socket.resume(); // reads (and drops) whatever the server answers, so that its close is seen
  const closed = once(socket, 'close');
  await once(socket, 'connect');
  socket.write(`GET /api/config HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `);
  return { socket, closed };
}

describe('dashboard connections', () => {
  it(`past ${MAX} connections a new one is closed at once and counted; the echo server still accepts; slow headers time out`, async () => {
    const port = Number(new URL(scope.httpUrl).port);
    let accepted = 0;
    const onConnection = () => accepted++;
    scope.app.server.on('connection', onConnection);
    const slow = await Promise.all(Array.from({ length: MAX }, () => halfHeader(port)));
    await untilTrue(`the dashboard to accept ${MAX} connections`, () => accepted === MAX);
    scope.app.server.off('connection', onConnection);

    const extra = await halfHeader(port);
    await withDeadline('close', 'the connection past the cap to be closed by the server', (resolve) => {
      void extra.closed.then(() => resolve(undefined));
      return () => {};
    });
    expect(scope.security.refusals.snapshot().httpConnections).toBe(1);

    const echo = await connectTcp(scope.tcpPort);
    echo.write('Hello1\n');
    const [reply] = (await once(echo, 'data')) as [Buffer];
    expect(reply.toString()).toBe('Received: 7');
    echo.destroy();

    // The header timeout frees every slow connection (a 408, then close), and the dashboard answers again.
    await withDeadline('close', `the ${MAX} connections with half a header to be timed out (--header-timeout 1)`, (resolve) => {
      void Promise.all(slow.map((s) => s.closed)).then(() => resolve(undefined));
      return () => {};
    });
    expect((await json(scope, 'GET', '/api/config')).status).toBe(200);
    expect((await json<{ limits: { maxHttpConnections: number } }>(scope, 'GET', '/api/limits')).body.limits.maxHttpConnections).toBe(MAX);
  });
});
