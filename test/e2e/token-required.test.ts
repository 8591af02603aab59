// The access token in a real Chromium against a real tcpscope started with one. The page takes the token
// out of the printed address, keeps it for its tab (a reload still works), sends it as a header and a
// WebSocket subprotocol, and never lets it reach another port of the host: a server on another port of
// 127.0.0.1, visited by the same browser, sees it in no header and no cookie. Without the token the page
// says so and takes one pasted in. Every step waits for something on the page or a server, never for time.
import http from 'node:http';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { Config } from '../../shared/config.ts';
import { DEFAULT_STATIC_DIR, type Tcpscope } from '../../server/app.ts';
import { startTestScope } from '../helpers.ts';
import { closeVisitedServer, useBrowser } from './browser.ts';

const TOKEN = 'tcpscope-test-token-0123456789';
const SCREEN_TEXT = 'Open the address tcpscope printed when it started (it ends in /?token=…), or paste the token here.';

const e2e = useBrowser();
const cleanups = e2e.cleanups;

async function startScope(): Promise<Tcpscope> {
  const scope = await startTestScope({ staticDir: DEFAULT_STATIC_DIR, security: { token: TOKEN } });
  cleanups.push(() => scope.close());
  return scope;
}

async function newContext(): Promise<BrowserContext> {
  const context = await e2e.browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  cleanups.push(() => context.close());
  return context;
}

async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  e2e.failOnPageErrors(page);
  return page;
}

function whenLive(page: Page): Promise<void> {
  return page.getByTestId('live-status').filter({ hasText: /^live$/ }).waitFor();
}

/** The page may keep its view in the address (`?buffer=…`), but never the token. */
function expectNoToken(page: Page): void {
  expect(page.url()).not.toContain(TOKEN);
  expect(new URL(page.url()).searchParams.has('token')).toBe(false);
}

function tokenScreen(page: Page) {
  return page.getByTestId('token-required');
}

/** Every request a server on another port of the host receives, with all its headers. */
async function otherPortServer(): Promise<{ url: string; seen: { url: string; headers: http.IncomingHttpHeaders }[] }> {
  const seen: { url: string; headers: http.IncomingHttpHeaders }[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>other</title><img src="/pixel.png"><script src="/probe.js"></script>');
    } else if (req.url === '/probe.js') {
      // The other page asks too, as a script would: credentials included, to itself.
      res.writeHead(200, { 'content-type': 'text/javascript' }).end("fetch('/fetched', { credentials: 'include' }).then(() => { document.title = 'probed'; });");
    } else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => closeVisitedServer(server));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen };
}

describe('the access token in the browser', () => {
  it('opens from the printed address, survives a reload, and never reaches another port of the host', async () => {
    const scope = await startScope();
    const context = await newContext();
    const page = await newPage(context);
    const requests: { url: string; headers: Record<string, string> }[] = [];
    page.on('request', (r) => requests.push({ url: r.url(), headers: r.headers() }));

    await page.goto(`${scope.httpUrl}/?token=${TOKEN}`);
    await whenLive(page);
    expectNoToken(page);
    expect(await context.cookies()).toEqual([]);

    // A reload in the same tab: the token is still there, the address still clean.
    await page.reload();
    await whenLive(page);
    expectNoToken(page);
    await page.getByRole('button', { name: 'Send burst' }).click();
    await page.getByTestId('conn-row').first().waitFor();
    expect(scope.registry.list().length).toBe(1);

    // The page and its files went without the token; the API calls carried it as a header.
    const ours = requests.filter((r) => r.url.startsWith(scope.httpUrl));
    const api = ours.filter((r) => new URL(r.url).pathname.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(0);
    for (const r of api) expect(r.headers.authorization, r.url).toBe(`Bearer ${TOKEN}`);
    for (const r of ours.filter((x) => !new URL(x.url).pathname.startsWith('/api/') && !x.url.includes('/ws'))) {
      expect(JSON.stringify(r.headers), r.url).not.toContain(TOKEN);
    }

    // Downloads carry it as well: the session export arrives whole.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    expect(download.suggestedFilename()).toMatch(/^tcpscope-session-.*\.json$/);
    const exported = JSON.parse(await readFile((await download.path())!, 'utf8')) as { format: string; connections: unknown[] };
    expect(exported.format).toBe('tcpscope-session');
    expect(exported.connections.length).toBe(1);

    // The same browser, the same tab, another port of 127.0.0.1: nothing of the token arrives there.
    const other = await otherPortServer();
    await page.goto(`${other.url}/`);
    await page.waitForFunction(() => document.title === 'probed');
    expect(other.seen.map((r) => r.url)).toEqual(expect.arrayContaining(['/', '/fetched', '/pixel.png', '/probe.js']));
    for (const r of other.seen) {
      expect(JSON.stringify(r.headers), r.url).not.toContain(TOKEN);
      expect(r.headers.cookie, r.url).toBeUndefined();
      expect(r.headers.authorization, r.url).toBeUndefined();
    }
    // Its scripts cannot read the dashboard's storage either (storage is per origin, port included).
    expect(await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage, cookie: document.cookie }))).not.toContain(TOKEN);
  });

  it('shows the token screen without it, takes a pasted token, and refuses a wrong one', async () => {
    const scope = await startScope();
    const context = await newContext();
    const page = await newPage(context);
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));

    // The page itself loads without the token; the API's 401 brings up the screen, and the socket stops trying.
    await page.goto(`${scope.httpUrl}/`);
    await tokenScreen(page).waitFor();
    await page.getByRole('heading', { name: 'Token required' }).waitFor();
    expect(await tokenScreen(page).textContent()).toContain(SCREEN_TEXT);

    await page.getByLabel('Access token').fill('not a token');
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.getByTestId('token-problem').filter({ hasText: 'That is not a tcpscope token: it must be 16 to 256 characters' }).waitFor();
    const attempts = sockets.length;

    await page.getByLabel('Access token').fill(`${TOKEN}x`);
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.getByTestId('token-problem').filter({ hasText: 'The server refused that token.' }).waitFor();
    await tokenScreen(page).waitFor();
    expect(sockets.length).toBe(attempts); // a refused token opens no socket
    expect(scope.hub.subscriberCount).toBe(0);

    await page.getByLabel('Access token').fill(TOKEN);
    await page.getByRole('button', { name: 'Use token' }).click();
    await whenLive(page);
    expect(await tokenScreen(page).count()).toBe(0);
    expect(scope.hub.subscriberCount).toBe(1);
    expectNoToken(page);
    // The pasted token is this tab's now: a reload keeps it.
    await page.reload();
    await whenLive(page);
  });

  it('says so when the token in the address is wrong, and when the server stops taking the one it holds', async () => {
    const scope = await startScope();
    const context = await newContext();
    const page = await newPage(context);
    await page.goto(`${scope.httpUrl}/?token=${TOKEN.slice(0, -1)}Z&buffer=1024`);
    await tokenScreen(page).waitFor();
    expectNoToken(page);
    expect(await tokenScreen(page).textContent()).toContain('The server refused the access token this tab holds');
    const config = (await (await fetch(`${scope.httpUrl}/api/config`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as Config;
    expect(config.bufferSize).toBe(1024);

    // A good start, then the stored token stops working (as after a restart with a new one): the live
    // socket's reconnect is refused and the page asks for the token instead of retrying forever.
    await page.goto(`${scope.httpUrl}/?token=${TOKEN}`);
    await whenLive(page);
    await page.evaluate(() => sessionStorage.setItem('tcpscope.token', 'stale-token-0123456789abcdef'));
    await page.reload();
    await tokenScreen(page).waitFor();
    expect(await tokenScreen(page).textContent()).toContain('The server refused the access token this tab holds');
  });
});
