// The access token over a real server, with real HTTP and WebSocket clients: what it opens, how it may
// travel (a Bearer header; a subprotocol on the live stream; never a query or a cookie), and the near
// misses a loosened check would let through. Each near miss is its own case, so that a comparison
// weakened to startsWith, to a case-insensitive match or to "any bearer at all" fails by name.
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tcpscope } from '../app.ts';
import { startTestScope } from '../../test/helpers.ts';
import { closed, httpRequest, jsonOf, type RawResponse } from '../../test/raw-clients.ts';

const staticDir = mkdtempSync(path.join(os.tmpdir(), 'tcpscope-page-'));
writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>tcpscope</title><script type="module" src="/app.js"></script>');
writeFileSync(path.join(staticDir, 'app.js'), 'export {};');

const TOKEN = 'test-token-0123456789abcdef';
const JSON_HEADERS = { 'content-type': 'application/json' };

/** Tokens that are not the token, each one step from it. */
const NEAR_MISSES: [string, string][] = [
  ['a prefix of it', TOKEN.slice(0, -1)],
  ['an extension of it', `${TOKEN}0`],
  ['its last character changed', `${TOKEN.slice(0, -1)}g`],
  ['its first character changed', `u${TOKEN.slice(1)}`],
  ['another case', TOKEN.toUpperCase()],
  ['itself twice', TOKEN + TOKEN],
  ['half of it', TOKEN.slice(0, TOKEN.length / 2)],
];

/** Authorization headers that carry no valid token. */
const BAD_AUTHORIZATION: [string, string][] = [
  ...NEAR_MISSES.map(([what, t]): [string, string] => [`Bearer with ${what}`, `Bearer ${t}`]),
  ['an empty Bearer', 'Bearer '],
  ['Bearer alone', 'Bearer'],
  ['Bearer and spaces', 'Bearer    '],
  ['the token without a scheme', TOKEN],
  ['the token as Basic', `Basic ${TOKEN}`],
  ['the token with a trailing word', `Bearer ${TOKEN} x`],
  ['the token and another', `Bearer ${TOKEN},Bearer ${TOKEN}`],
];

function expect401(res: RawResponse, what: string): void {
  expect(res.status, what).toBe(401);
  expect(res.headers['content-type'], what).toContain('application/json');
  expect(res.headers['www-authenticate'], what).toBe('Bearer realm="tcpscope"');
  expect(jsonOf(res).message, what).toContain('token: this server needs its access token');
}

/** Opens a WebSocket offering `protocols`: `{ws}` once open, or the refusal's status. */
function wsOpen(url: string, protocols: string[], headers: Record<string, string> = {}): Promise<{ ws: WebSocket } | { status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    ws.once('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}

/** One request exactly as written, for targets an HTTP client library would rewrite (`GET http://…/`, `*`). */
async function rawGet(port: number, target: string): Promise<RawResponse> {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  await once(socket, 'close');
  const text = Buffer.concat(chunks).toString('utf8');
  const [head = '', body = ''] = text.split('\r\n\r\n', 2);
  const lines = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(lines[0]?.split(' ')[1]), headers, text: body };
}

describe('with a token', () => {
  let scope: Tcpscope;
  let base: string;
  let port: number;
  let wsUrl: string;
  beforeAll(async () => {
    scope = await startTestScope({ staticDir, security: { token: TOKEN } });
    base = scope.httpUrl;
    port = Number(new URL(base).port);
    wsUrl = `${base.replace('http', 'ws')}/ws`;
  });
  afterAll(async () => {
    await scope.close();
  });

  it('answers every API route 401 without it, and 2xx with Authorization: Bearer', async () => {
    for (const [method, url, body] of [
      ['GET', '/api/config', undefined],
      ['PATCH', '/api/config', '{"replyMode":"ack"}'],
      ['GET', '/api/connections', undefined],
      ['GET', '/api/events', undefined],
      ['GET', '/api/limits', undefined],
      ['GET', '/api/session.json', undefined],
      ['GET', '/api/scenarios', undefined],
      ['POST', '/api/bursts', '{"count":1}'],
      ['POST', '/api/session/reset', '{}'],
      ['GET', '/api/nonexistent', undefined],
    ] as const) {
      const headers = body === undefined ? {} : JSON_HEADERS;
      expect401(await httpRequest(`${base}${url}`, { method, headers, body }), `${method} ${url}`);
      const bearer = await httpRequest(`${base}${url}`, { method, headers: { ...headers, authorization: `Bearer ${TOKEN}` }, body });
      if (url === '/api/nonexistent') expect(bearer.status).toBe(404);
      else expect(bearer.status, `${method} ${url}`).toBeLessThan(300);
    }
    // The scheme is case-insensitive (RFC 7235); the token is not.
    expect((await httpRequest(`${base}/api/config`, { headers: { authorization: `bEaReR ${TOKEN}` } })).status).toBe(200);
  });

  it.each(BAD_AUTHORIZATION)('refuses %s', async (what, authorization) => {
    const before = scope.config.get();
    expect401(await httpRequest(`${base}/api/config`, { headers: { authorization } }), what);
    expect401(
      await httpRequest(`${base}/api/config`, { method: 'PATCH', headers: { ...JSON_HEADERS, authorization }, body: '{"bufferSize":7}' }),
      `PATCH with ${what}`,
    );
    expect(scope.config.get()).toEqual(before);
  });

  it('takes the token from no query parameter and no cookie, not even the old tcpscope cookie', async () => {
    for (const url of [`/api/config?token=${TOKEN}`, `/api/config?access_token=${TOKEN}`, `/api/config?authorization=Bearer%20${TOKEN}`]) {
      expect401(await httpRequest(`${base}${url}`), url);
    }
    for (const cookie of [`tcpscope_token_${port}=${TOKEN}`, `token=${TOKEN}`, `authorization=Bearer ${TOKEN}`]) {
      expect401(await httpRequest(`${base}/api/config`, { headers: { cookie } }), cookie);
    }
    const ws = await wsOpen(`${wsUrl}?token=${TOKEN}`, ['tcpscope']);
    expect(ws).toEqual({ status: 401 });
  });

  it('serves the page and its files without it, and never a data route by another spelling', async () => {
    for (const url of ['/', '/index.html', '/app.js', `/?token=${TOKEN}`, '/?token=wrong']) {
      const res = await httpRequest(`${base}${url}`);
      expect(res.status, url).toBe(200);
      expect(res.headers['cache-control'] ?? '', url).not.toContain('private'); // nothing in it is the user's
    }
    expect((await httpRequest(`${base}/`)).text).toContain('<title>tcpscope</title>');
    // The router decodes `%61` and routes absolute-form targets by their path: none of them gets past.
    for (const target of ['/%61pi/config', '/%61%70%69/config', `http://127.0.0.1:${port}/api/config`, 'http://evil.example/api/config', `http://127.0.0.1:${port}/`, `http://127.0.0.1:${port}/index.html`, '*', '//api/config']) {
      expect401(await rawGet(port, target), target);
    }
    // Changing methods on page routes need it too.
    expect401(await httpRequest(`${base}/`, { method: 'POST', headers: JSON_HEADERS, body: '{}' }), 'POST /');
  });

  it('opens the live stream with the token as a subprotocol, answering with the plain one', async () => {
    const opened = await wsOpen(wsUrl, ['tcpscope', `tcpscope.token.${TOKEN}`]);
    if (!('ws' in opened)) throw new Error(`the live stream refused the right token: ${opened.status}`);
    expect(opened.ws.protocol).toBe('tcpscope');
    const done = closed(opened.ws);
    opened.ws.close();
    await done;
    // Scripts may send the header instead.
    const byHeader = await wsOpen(wsUrl, [], { authorization: `Bearer ${TOKEN}` });
    if (!('ws' in byHeader)) throw new Error(`the live stream refused the Bearer header: ${byHeader.status}`);
    const done2 = closed(byHeader.ws);
    byHeader.ws.close();
    await done2;
  });

  it.each([
    ...NEAR_MISSES.map(([what, t]): [string, string[]] => [what, ['tcpscope', `tcpscope.token.${t}`]]),
    ['no token', ['tcpscope']],
    ['an empty token', ['tcpscope', 'tcpscope.token.']],
    ['the prefix in another case', ['tcpscope', `TCPSCOPE.TOKEN.${TOKEN}`]],
    ['the token without its prefix', ['tcpscope', TOKEN]],
    ['the token twice', ['tcpscope', `tcpscope.token.${TOKEN}`, `tcpscope.token.${TOKEN}x`]],
  ] as [string, string[]][])('refuses the live stream with %s as its subprotocol', async (what, protocols) => {
    const before = scope.hub.subscriberCount;
    expect(await wsOpen(wsUrl, protocols), what).toEqual({ status: 401 });
    expect(scope.hub.subscriberCount).toBe(before);
  });

  it('takes the subprotocol token on the live stream only', async () => {
    const res = await httpRequest(`${base}/api/config`, { headers: { 'sec-websocket-protocol': `tcpscope, tcpscope.token.${TOKEN}` } });
    expect401(res, 'a subprotocol header on an API route');
  });

  it('checks Host and Origin before the token: a foreign page gets no further with it', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const evilHost = await httpRequest(`${base}/api/config`, { headers: { ...auth, host: 'evil.example' } });
    expect(evilHost.status).toBe(421);
    const crossOrigin = await httpRequest(`${base}/api/config`, {
      method: 'PATCH',
      headers: { ...auth, ...JSON_HEADERS, origin: 'http://evil.example' },
      body: '{"bufferSize":7}',
    });
    expect(crossOrigin.status).toBe(403);
    expect(scope.config.get().bufferSize).toBe(1024);
  });

  it('says in GET /api/limits that a token is needed', async () => {
    const res = await httpRequest(`${base}/api/limits`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(jsonOf<{ tokenRequired: boolean }>(res).tokenRequired).toBe(true);
  });
});
