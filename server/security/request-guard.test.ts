// Host and Origin checks over a real server, with real HTTP and WebSocket clients that can
// say anything a hostile page or a DNS-rebinding attack would make a browser say.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tcpscope } from '../app.ts';
import { startTestScope } from '../../test/helpers.ts';
import { closed, httpRequest, jsonOf, wsConnect } from '../../test/raw-clients.ts';

const staticDir = mkdtempSync(path.join(os.tmpdir(), 'tcpscope-page-'));
writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>tcpscope</title><script type="module" src="/app.js"></script>');

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

// With a token: token-guard.test.ts.
