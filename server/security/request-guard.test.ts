// Host, Origin and token checks over a real server, with real HTTP and WebSocket clients that can
// say anything a hostile page or a DNS-rebinding attack would make a browser say.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tcpscope } from '../app.ts';
import { startTestScope } from '../../test/helpers.ts';
import { closed, httpRequest, jsonOf, wsConnect } from '../../test/raw-clients.ts';
import { cookieNameFor } from './access-token.ts';

const staticDir = mkdtempSync(path.join(os.tmpdir(), 'tcpscope-page-'));
writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>tcpscope</title><script type="module" src="/app.js"></script>');

const TOKEN = 'test-token-0123456789abcdef';
const JSON_HEADERS = { 'content-type': 'application/json' };

function portOf(scope: Tcpscope): number {
  return Number(new URL(scope.httpUrl).port);
}

describe('without a token (loopback)', () => {
  let scope: Tcpscope;
  let base: string;
  let own: string;
  beforeAll(async () => {
    scope = await startTestScope({ staticDir });
    base = scope.httpUrl;
    own = `http://127.0.0.1:${portOf(scope)}`;
  });
  afterAll(async () => {
    await scope.close();
  });

  it('answers to its loopback names', async () => {
    for (const host of [`127.0.0.1:${portOf(scope)}`, `localhost:${portOf(scope)}`, `[::1]:${portOf(scope)}`]) {
      expect((await httpRequest(`${base}/api/config`, { headers: { host } })).status).toBe(200);
    }
  });

  it('refuses Host: evil.example with 421, for the API, the page and the WebSocket (DNS rebinding)', async () => {
    for (const url of ['/api/config', '/', '/index.html']) {
      const res = await httpRequest(`${base}${url}`, { headers: { host: 'evil.example' } });
      expect(res.status).toBe(421);
      expect(jsonOf(res).message).toContain('host: "evil.example" is not a name this server answers to');
    }
    const ws = await wsConnect(`${base.replace('http', 'ws')}/ws`, { host: `evil.example:${portOf(scope)}` });
    expect(ws).toMatchObject({ status: 421 });
    expect(scope.hub.subscriberCount).toBe(0);
  });

  it('refuses a cross-origin PATCH with 403 and leaves the config as it was', async () => {
    const before = scope.config.get();
    for (const origin of ['http://evil.example', `http://localhost:${portOf(scope) + 1}`, 'null']) {
      const res = await httpRequest(`${base}/api/config`, {
        method: 'PATCH',
        headers: { ...JSON_HEADERS, origin },
        body: JSON.stringify({ bufferSize: 7 }),
      });
      expect(res.status).toBe(403);
      expect(jsonOf(res).message).toContain(`origin: ${JSON.stringify(origin)} may not change this server`);
    }
    expect(scope.config.get()).toEqual(before);
  });

  it('refuses a cross-origin burst with 403 and opens no connection', async () => {
    const before = scope.registry.list().length;
    const res = await httpRequest(`${base}/api/bursts`, { method: 'POST', headers: { ...JSON_HEADERS, origin: 'http://evil.example' }, body: '{}' });
    expect(res.status).toBe(403);
    expect(scope.registry.list().length).toBe(before);
  });

  it('lets its own pages and origin-less tools change things', async () => {
    const mine = await httpRequest(`${base}/api/config`, { method: 'PATCH', headers: { ...JSON_HEADERS, origin: own }, body: '{"bufferSize":7}' });
    expect(mine.status).toBe(200);
    const tool = await httpRequest(`${base}/api/config`, { method: 'PATCH', headers: JSON_HEADERS, body: '{"bufferSize":1024}' });
    expect(tool.status).toBe(200);
    expect(scope.config.get().bufferSize).toBe(1024);
  });

  it('refuses a cross-origin WebSocket upgrade with 403 (cross-site WebSocket hijacking)', async () => {
    const wsUrl = `${base.replace('http', 'ws')}/ws`;
    expect(await wsConnect(wsUrl, { origin: 'http://evil.example' })).toMatchObject({ status: 403 });
    expect(scope.hub.subscriberCount).toBe(0);
    for (const headers of [{ origin: own }, {}] as Record<string, string>[]) {
      const opened = await wsConnect(wsUrl, headers);
      if (!('ws' in opened)) throw new Error(`refused: ${opened.status}`);
      const done = closed(opened.ws);
      opened.ws.close();
      await done;
    }
  });

  it('sends its security headers on the page and on refusals', async () => {
    for (const res of [await httpRequest(`${base}/`), await httpRequest(`${base}/api/config`, { headers: { host: 'evil.example' } })]) {
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('says in GET /api/limits that no token is needed', async () => {
    const res = await httpRequest(`${base}/api/limits`);
    expect(jsonOf<{ tokenRequired: boolean }>(res).tokenRequired).toBe(false);
  });
});

describe('with a token', () => {
  let scope: Tcpscope;
  let base: string;
  let wsUrl: string;
  let cookie: string;
  beforeAll(async () => {
    scope = await startTestScope({ staticDir, security: { token: TOKEN } });
    base = scope.httpUrl;
    wsUrl = `${base.replace('http', 'ws')}/ws`;
    cookie = `${cookieNameFor(portOf(scope))}=${TOKEN}`;
  });
  afterAll(async () => {
    await scope.close();
  });

  it('answers every API route 401 without it, and 2xx with it', async () => {
    for (const [method, url, body] of [
      ['GET', '/api/config', undefined],
      ['PATCH', '/api/config', '{"replyMode":"ack"}'],
      ['GET', '/api/connections', undefined],
      ['GET', '/api/events', undefined],
      ['GET', '/api/limits', undefined],
      ['POST', '/api/bursts', '{"count":1}'],
    ] as const) {
      const headers = body === undefined ? {} : JSON_HEADERS;
      const without = await httpRequest(`${base}${url}`, { method, headers, body });
      expect(without.status, `${method} ${url}`).toBe(401);
      expect(without.headers['www-authenticate']).toBe('Bearer realm="tcpscope"');
      expect(jsonOf(without).message).toContain('token: this server needs its access token');
      const wrong = await httpRequest(`${base}${url}`, { method, headers: { ...headers, authorization: 'Bearer nope-nope-nope-nope' }, body });
      expect(wrong.status).toBe(401);
      const bearer = await httpRequest(`${base}${url}`, { method, headers: { ...headers, authorization: `Bearer ${TOKEN}` }, body });
      expect(bearer.status, `${method} ${url}`).toBeLessThan(300);
      const withCookie = await httpRequest(`${base}${url}`, { method, headers: { ...headers, cookie }, body });
      expect(withCookie.status, `${method} ${url}`).toBeLessThan(300);
    }
  });

  it('opens the WebSocket only with it', async () => {
    expect(await wsConnect(wsUrl)).toMatchObject({ status: 401 });
    expect(await wsConnect(wsUrl, { cookie: `${cookieNameFor(portOf(scope))}=wrong` })).toMatchObject({ status: 401 });
    for (const headers of [{ authorization: `Bearer ${TOKEN}` }, { cookie }] as Record<string, string>[]) {
      const opened = await wsConnect(wsUrl, headers);
      if (!('ws' in opened)) throw new Error(`refused: ${opened.status}`);
      const done = closed(opened.ws);
      opened.ws.close();
      await done;
    }
  });

  it('shows a static "token required" page instead of the dashboard, with no script', async () => {
    for (const url of ['/', '/index.html']) {
      const res = await httpRequest(`${base}${url}`);
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.text).toContain('Token required');
      expect(res.text).not.toContain('<script');
      expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
    }
  });

  it('trades /?token=T for an HttpOnly SameSite=Strict cookie and a redirect to /', async () => {
    const res = await httpRequest(`${base}/?token=${TOKEN}`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/');
    const setCookie = res.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toBe(`${cookie}; Path=/; HttpOnly; SameSite=Strict`);
    const page = await httpRequest(`${base}/`, { headers: { cookie: setCookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>tcpscope</title>');
  });

  it('says so when the token in the URL is wrong, and sets no cookie', async () => {
    for (const wrong of ['wrong', `${TOKEN}x`, '']) {
      const res = await httpRequest(`${base}/?token=${wrong}`);
      expect(res.status).toBe(401);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.text).toMatch(/Wrong token|Token required/);
    }
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
});
