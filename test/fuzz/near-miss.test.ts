// Requests that are almost right, over real HTTP: an Origin whose port extends the server's (39970 against
// 3997), a host that extends a loopback name, an https: origin for the same host and port, a Host with a port
// beyond 65535. Each is refused with the status that names its rule; the exact right one passes. Also: a
// `__proto__` key is refused naming the field, and both routes that take a connection id bound it alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONN_ID_MAX } from '../../shared/conn-id.ts';
import type { Tcpscope } from '../../server/app.ts';
import { startTestScope } from '../helpers.ts';
import { httpRequest, jsonOf, wsConnect } from '../raw-clients.ts';

let scope: Tcpscope;
let port: number;

beforeAll(async () => {
  scope = await startTestScope();
  port = Number(new URL(scope.httpUrl).port);
});
afterAll(async () => {
  await scope.close();
});

const patch = (headers: Record<string, string>, body = '{"paused":false}') =>
  httpRequest(`${scope.httpUrl}/api/config`, { method: 'PATCH', headers: { 'content-type': 'application/json', ...headers }, body });

describe('near misses', () => {
  it('accepts the exact own origin', async () => {
    expect((await patch({ origin: `http://127.0.0.1:${port}` })).status).toBe(200);
    expect((await patch({ host: `localhost:${port}`, origin: `http://localhost:${port}` })).status).toBe(200);
  });

  it('refuses origins that extend or shorten the port, extend the host, or change the scheme (403)', async () => {
    const p = String(port);
    const near = [
      `http://127.0.0.1:${p}0`,
      `http://127.0.0.1:${p.slice(0, -1)}`,
      `http://127.0.0.10:${p}`,
      `http://127.0.0.1.evil.example:${p}`,
      `http://localhost:${p}`,
      `https://127.0.0.1:${p}`,
    ];
    for (const origin of near) {
      const res = await patch({ origin });
      expect(res.status, origin).toBe(403);
      expect(jsonOf(res).message, origin).toContain('origin:');
      const ws = await wsConnect(`${scope.httpUrl.replace('http', 'ws')}/ws`, { origin });
      expect('status' in ws ? ws.status : 'opened', `WebSocket with ${origin}`).toBe(403);
    }
  });

  it('refuses Host headers that extend a loopback name or carry a port beyond 65535 (421)', async () => {
    for (const host of ['localhost:99999', '127.0.0.1:65536', `localhostx:${port}`, `localhost.evil.example:${port}`, `127.0.0.1.nip.io:${port}`]) {
      const res = await httpRequest(`${scope.httpUrl}/api/config`, { headers: { host } });
      expect(res.status, host).toBe(421);
      expect(jsonOf(res).message, host).toContain('host:');
    }
  });

  it('refuses a __proto__ key (or constructor.prototype) naming the field (400)', async () => {
    const cases: [string, string][] = [
      ['{"__proto__":{"paused":true}}', 'body.__proto__: this key is not allowed'],
      ['{"framing":{"mode":"raw","__proto__":{"x":1}}}', 'body.framing.__proto__: this key is not allowed'],
      ['{"constructor":{"prototype":{"x":1}}}', 'body.constructor.prototype: this key is not allowed'],
    ];
    for (const [body, message] of cases) {
      const res = await patch({}, body);
      expect(res.status, body).toBe(400);
      expect(jsonOf(res).message, body).toContain(message);
    }
    expect(scope.config.get().paused).toBe(false);
  });

  it('bounds connection ids the same on /api/events and /api/capture.pcap', async () => {
    for (const path of ['/api/events', '/api/capture.pcap']) {
      const over = await httpRequest(`${scope.httpUrl}${path}?connId=${CONN_ID_MAX + 1}`);
      expect(over.status, path).toBe(400);
      expect(jsonOf(over).message, path).toMatch(new RegExp(`^query\\.connId: must be a connection id, an integer from [01] to ${CONN_ID_MAX}$`));
      const max = await httpRequest(`${scope.httpUrl}${path}?connId=${CONN_ID_MAX}`);
      expect([200, 404], path).toContain(max.status);
    }
  });
});
