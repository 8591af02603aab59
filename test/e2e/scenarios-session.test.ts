// Scenarios, framing and sessions in a real Chromium: run a scenario from the panel, export the session,
// open the page again from that file with no tcpscope running at all, scrub, and see the same reads.
// Every step waits for something on the page or on the server, never for time.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeVisitedServer, useBrowser } from './browser.ts';
import type { Config } from '../../shared/config.ts';
import { parseSession, type SessionDocument } from '../../shared/session.ts';
import { DEFAULT_STATIC_DIR, startTcpscope, type Tcpscope } from '../../server/app.ts';
import { nextEvent } from '../helpers.ts';

const e2e = useBrowser();
const cleanups = e2e.cleanups;

async function startScope(): Promise<Tcpscope> {
  const scope = await startTcpscope({ httpPort: 0, tcpPort: 0, capture: false });
  cleanups.push(() => scope.close());
  return scope;
}

async function newPage(): Promise<{ page: Page; sockets: string[] }> {
  const context = await e2e.browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  cleanups.push(() => context.close());
  const page = await context.newPage();
  const errors: string[] = [];
  const sockets: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('websocket', (ws) => sockets.push(ws.url()));
  cleanups.push(async () => expect(errors).toEqual([]));
  return { page, sockets };
}

/** Serves the built page and one session file, as any static web server would: no tcpscope behind it. */
async function staticServer(sessionText: string): Promise<string> {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/saved/session.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(sessionText);
      return;
    }
    const file = path.join(DEFAULT_STATIC_DIR, url.pathname === '/' ? 'index.html' : path.normalize(url.pathname));
    if (!file.startsWith(DEFAULT_STATIC_DIR)) return void res.writeHead(403).end();
    try {
      const body = await readFile(file);
      const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : file.endsWith('.html') ? 'text/html' : 'application/octet-stream';
      res.writeHead(200, { 'content-type': type }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => closeVisitedServer(server));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

async function liveConfig(scope: Tcpscope): Promise<Config> {
  return (await (await fetch(`${scope.httpUrl}/api/config`)).json()) as Config;
}

async function patchConfig(scope: Tcpscope, patch: Partial<Config>): Promise<void> {
  const res = await fetch(`${scope.httpUrl}/api/config`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patch) });
  if (!res.ok) throw new Error(`PATCH /api/config: ${res.status} ${await res.text()}`);
}

/** One burst of the built-in client, done once its connection has closed. */
async function runBurst(scope: Tcpscope): Promise<void> {
  const closedEvent = nextEvent(scope, (e) => e.kind === 'close');
  const res = await fetch(`${scope.httpUrl}/api/bursts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"count":3}' });
  if (res.status !== 202) throw new Error(`POST /api/bursts: ${res.status} ${await res.text()}`);
  await closedEvent;
}

function readRows(page: Page) {
  return page.locator('[data-testid=event-row][data-kind=read]');
}

/** The (connection, length) of every read row the log shows, oldest first. */
async function shownReads(page: Page): Promise<string[]> {
  const rows = await readRows(page).evaluateAll((els) => els.map((el) => `#${el.getAttribute('data-conn-id')}:${el.getAttribute('data-length')}`));
  return rows.reverse();
}

function readsIn(session: SessionDocument, upTo: number): string[] {
  return session.events.slice(0, upTo).flatMap((e) => (e.kind === 'read' ? [`#${e.connId}:${e.length}`] : []));
}

async function runScenario(page: Page, title: string): Promise<void> {
  await page.getByTestId('scenarios-panel').getByRole('button', { name: title }).click();
  await page.getByTestId('scenario-caption').filter({ hasText: title }).waitFor();
}

describe('scenarios and sessions in the browser', () => {
  it('runs scenarios from the panel, exports the session and replays it offline, scrubbed to the middle', async () => {
    const scope = await startScope();
    const live = await newPage();
    await live.page.goto(`${scope.httpUrl}/`);
    await live.page.getByTestId('live-status').filter({ hasText: /^live$/ }).waitFor();

    await runScenario(live.page, 'Three writes merge into one read');
    await runScenario(live.page, 'Buffer 7 splits them again');
    await live.page.getByTestId('scenario-caption').filter({ hasText: 'three reads of 7' }).waitFor();
    await live.page.waitForFunction(() => document.querySelectorAll('[data-testid=event-row][data-kind=read]').length === 4);
    const liveReads = await shownReads(live.page);
    expect(liveReads.map((r) => r.split(':')[1])).toEqual(['21', '7', '7', '7']);

    const [download] = await Promise.all([live.page.waitForEvent('download'), live.page.getByTestId('export-json').click()]);
    expect(download.suggestedFilename()).toMatch(/^tcpscope-session-.*\.json$/);
    const text = await readFile((await download.path())!, 'utf8');
    const parsed = parseSession(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    const session = parsed.session;
    expect(readsIn(session, session.events.length)).toEqual(liveReads);

    // No tcpscope any more: the page comes from a plain web server, the session from a file beside it.
    await scope.close();
    const site = await staticServer(text);
    const offline = await newPage();
    await offline.page.goto(`${site}/?session=/saved/session.json`);
    const position = offline.page.getByTestId('replay-position');
    await position.waitFor();
    await offline.page.waitForFunction(() => document.querySelectorAll('[data-testid=event-row][data-kind=read]').length === 4);
    expect(await shownReads(offline.page)).toEqual(liveReads);
    expect(await position.getAttribute('data-position')).toBe(String(session.events.length));

    // Scrub to the middle: a click in the middle of the slider.
    await offline.page.getByTestId('replay-slider').click();
    await offline.page.waitForFunction((n) => document.querySelector('[data-testid=replay-position]')?.getAttribute('data-position') !== String(n), session.events.length);
    const middle = Number(await position.getAttribute('data-position'));
    expect(middle).toBeGreaterThan(0);
    expect(middle).toBeLessThan(session.events.length);
    const expected = readsIn(session, middle);
    await offline.page.waitForFunction((n) => document.querySelectorAll('[data-testid=event-row][data-kind=read]').length === n, expected.length);
    expect(await shownReads(offline.page)).toEqual(expected);

    // Step event by event to the end: every read of the live session is back, in order.
    for (let i = middle; i < session.events.length; i++) {
      await offline.page.getByTestId('replay-step-forward').click();
      await offline.page.waitForFunction((n) => document.querySelector('[data-testid=replay-position]')?.getAttribute('data-position') === String(n), i + 1);
    }
    await offline.page.waitForFunction(() => document.querySelectorAll('[data-testid=event-row][data-kind=read]').length === 4);
    expect(await shownReads(offline.page)).toEqual(liveReads);
    expect(offline.sockets).toEqual([]);
  });

  it('shows what a link proposes for the live server, and changes it only on Apply', async () => {
    const scope = await startScope();
    const before = await liveConfig(scope);
    const { page } = await newPage();
    const changes: string[] = [];
    page.on('request', (r) => {
      if (r.method() !== 'GET') changes.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });
    // What a hostile page elsewhere would send a browser to.
    await page.goto(`${scope.httpUrl}/?buffer=1&framing=length-prefix&prefix=4&max=16777216`);
    await page.getByTestId('live-status').filter({ hasText: /^live$/ }).waitFor();
    const banner = page.getByTestId('link-proposal');
    await banner.filter({ hasText: 'This link proposes read buffer 1 B and framing length-prefix 4 B (max 16777216 B) for the live server.' }).waitFor();
    expect(await liveConfig(scope)).toEqual(before);
    expect(changes).toEqual([]);
    // The address keeps the proposal while it waits: a reload shows it again, and still changes nothing.
    expect(new URL(page.url()).searchParams.get('buffer')).toBe('1');
    await page.reload();
    await banner.waitFor();
    expect(await liveConfig(scope)).toEqual(before);

    await page.getByTestId('link-proposal-apply').click();
    await banner.waitFor({ state: 'detached' });
    await page.getByTestId('config-summary').filter({ hasText: 'buffer 1 B' }).waitFor();
    expect(await liveConfig(scope)).toMatchObject({ bufferSize: 1, framing: { mode: 'length-prefix', prefixBytes: 4, maxMessageBytes: 16777216 } });
    expect(changes).toEqual(['PATCH /api/config']);
  });

  it('drops a dismissed proposal, and keeps the view in the address: a link reopens the same connection', async () => {
    const scope = await startScope();
    const before = await liveConfig(scope);
    const { page } = await newPage();
    await page.goto(`${scope.httpUrl}/?buffer=7&framing=delimiter&delim=%0A&max=64`);
    await page.getByTestId('link-proposal').filter({ hasText: 'read buffer 7 B and framing delimiter \\n (max 64 B)' }).waitFor();
    await page.getByTestId('link-proposal-dismiss').click();
    await page.getByTestId('link-proposal').waitFor({ state: 'detached' });
    // Dismissed, the address follows the live server again.
    await page.waitForFunction(() => new URLSearchParams(location.search).get('buffer') === '1024');
    expect(await liveConfig(scope)).toEqual(before);

    // A link that proposes nothing new shows no banner.
    await page.goto(`${scope.httpUrl}/?buffer=1024&framing=raw`);
    await page.getByTestId('live-status').filter({ hasText: /^live$/ }).waitFor();
    await runScenario(page, "The tutorial's single write");
    expect(await page.getByTestId('link-proposal').count()).toBe(0);
    await page.locator('[data-testid=conn-row][data-conn-id="1"]').click();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('conn') === '1');
    const link = new URL(page.url());
    expect(Object.fromEntries(link.searchParams)).toEqual({ conn: '1', buffer: '1024', framing: 'raw' });
  });

  it('fences off every live control while a session replays, and goes back to live changing nothing', async () => {
    const scope = await startScope();
    // A session recorded at buffer 7 with delimiter framing; the live server is back at 1024 and raw.
    await patchConfig(scope, { bufferSize: 7, framing: { mode: 'delimiter', delimiter: '\n', maxMessageBytes: 64 } });
    await runBurst(scope);
    const sessionText = await (await fetch(`${scope.httpUrl}/api/session.json`)).text();
    await patchConfig(scope, { bufferSize: 1024, framing: { mode: 'raw' } });
    const live = await liveConfig(scope);
    const connections = scope.registry.list().length;

    const { page, sockets } = await newPage();
    const changes: string[] = [];
    page.on('request', (r) => {
      if (r.method() !== 'GET') changes.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });
    await page.goto(`${scope.httpUrl}/`);
    await page.getByTestId('live-status').filter({ hasText: /^live$/ }).waitFor();
    await page.getByTestId('session-file').setInputFiles({ name: 'recorded.json', mimeType: 'application/json', buffer: Buffer.from(sessionText) });
    await page.getByTestId('replay-bar').waitFor();
    await page.getByTestId('live-status').filter({ hasText: /^replay$/ }).waitFor();
    await page.getByTestId('config-summary').filter({ hasText: 'buffer 7 B' }).waitFor();
    await page.getByTestId('live-only-reason').filter({ hasText: 'replaying a session — Back to live to send' }).waitFor();

    const fenced = [
      page.getByRole('button', { name: 'Send burst' }),
      page.getByRole('button', { name: '7', exact: true }),
      page.getByRole('button', { name: '1024', exact: true }),
      page.getByLabel('Read buffer'),
      page.getByRole('button', { name: 'echo', exact: true }),
      page.getByLabel('Stop reading'),
      page.getByLabel('Framing'),
      page.getByLabel('Count'),
      ...(await page.getByTestId('scenarios-panel').getByRole('button').all()),
      page.getByTestId('new-session'),
    ];
    for (const control of fenced) expect(await control.isDisabled(), String(control)).toBe(true);
    // The fieldset says why, to assistive tech as well.
    expect(await page.getByRole('group', { name: 'Live server controls' }).getAttribute('aria-describedby')).toBeTruthy();
    await page.getByRole('button', { name: 'Wire', exact: true }).click();
    const stopReading = page.getByRole('switch', { name: 'Stop reading' }).first();
    await stopReading.waitFor();
    expect(await stopReading.isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Reads', exact: true }).click();
    // Even a command the fence missed could not reach the server: the page refuses every change while it
    // replays. (A form inside a disabled fieldset can still be submitted from script.)
    await page.evaluate(() => (document.querySelector('form[aria-label=Burst]') as HTMLFormElement).requestSubmit());
    await page.getByTestId('notice').filter({ hasText: 'Send burst: replaying a session — Back to live to send' }).waitFor();
    expect(changes).toEqual([]);
    expect(await liveConfig(scope)).toEqual(live);
    expect(scope.registry.list().length).toBe(connections);

    const [navigation] = await Promise.all([
      page.waitForRequest((r) => r.isNavigationRequest()),
      page.getByRole('button', { name: 'Back to live' }).click(),
    ]);
    // The address it goes to proposes nothing (the page then writes the live server's config into it).
    expect(new URL(navigation.url()).search).toBe('');
    await page.getByTestId('live-status').filter({ hasText: /^live$/ }).waitFor();
    await page.getByTestId('config-summary').filter({ hasText: 'buffer 1024 B' }).waitFor();
    expect(await page.getByTestId('link-proposal').count()).toBe(0);
    expect(await liveConfig(scope)).toEqual(live);
    expect(changes).toEqual([]);
    expect(await page.getByRole('button', { name: 'Send burst' }).isDisabled()).toBe(false);
    expect(sockets.length).toBeGreaterThan(0);
  });

  it('refuses a session address on another origin with the reason, and opens one on its own', async () => {
    const scope = await startScope();
    const sessionText = await (await fetch(`${scope.httpUrl}/api/session.json`)).text();
    const elsewhere = await staticServer(sessionText);
    const { page } = await newPage();
    await page.goto(`${scope.httpUrl}/?session=${encodeURIComponent(`${elsewhere}/saved/session.json`)}`);
    await page
      .getByTestId('session-error')
      .filter({ hasText: `${elsewhere}/saved/session.json is on another origin (${elsewhere}), and this page may only fetch from its own (${scope.httpUrl})` })
      .waitFor();
    expect(await page.getByTestId('session-error').textContent()).toContain('open it with Open… or drop it on the page');
    // The page goes live instead.
    await page.getByTestId('live-status').filter({ hasText: /^live$/ }).waitFor();

    // Same origin works, through the API itself.
    await page.goto(`${scope.httpUrl}/?session=/api/session.json`);
    await page.getByTestId('replay-bar').waitFor();
    await page.getByTestId('live-status').filter({ hasText: /^replay$/ }).waitFor();
  });

  it('sets framing from its control, and refuses a bad session file with the reason, leaving the live view as it was', async () => {
    const scope = await startScope();
    const { page } = await newPage();
    await page.goto(`${scope.httpUrl}/`);
    await page.getByTestId('live-status').filter({ hasText: /^live$/ }).waitFor();

    await page.getByLabel('Framing').selectOption('length-prefix');
    await page.getByLabel('Max message').fill('64');
    await page.getByLabel('Max message').press('Enter');
    await page.waitForFunction(() => (document.querySelector('[aria-label="Max message"]') as HTMLInputElement | null)?.value === '64');
    const config = (await (await fetch(`${scope.httpUrl}/api/config`)).json()) as Config;
    expect(config.framing).toEqual({ mode: 'length-prefix', prefixBytes: 2, maxMessageBytes: 64 });

    // The scenario sets its own framing (2-byte prefix, 64 bytes at most) and breaks it on its second connection.
    await runScenario(page, 'Length-prefix framing and an oversize prefix');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=event-row][data-kind=close]').length === 2);
    expect(await page.locator('[data-testid=event-row][data-kind=message]').count()).toBe(3);
    await page.locator('[data-testid=event-row][data-kind=error]').filter({ hasText: 'length-prefix-too-large' }).waitFor();

    // The first connection's one read carried all three messages: select one, and that read lights up.
    await page.locator('[data-testid=conn-row][data-conn-id="1"]').click();
    await page.getByTestId('ribbon-message').nth(1).click();
    await page.getByTestId('message-caption').filter({ hasText: 'message 2 · bytes 10–15 · 6 B · carried by read 1' }).waitFor();
    await page.locator('[data-testid=ribbon-read].linked').waitFor();
    expect(await page.getByTestId('ribbon-message').count()).toBe(3);

    await page.getByTestId('session-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "tcpscope-session", "version": 1,') });
    await page.getByTestId('session-error').filter({ hasText: 'broken.json was not opened: the file is not JSON' }).waitFor();
    await page.getByTestId('session-file').setInputFiles({
      name: 'future.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ format: 'tcpscope-session', version: 9, events: [] })),
    });
    await page.getByTestId('session-error').filter({ hasText: 'future.json was not opened: the file has format version 9, from a newer tcpscope' }).waitFor();
    expect(await page.getByTestId('replay-bar').count()).toBe(0);
    await page.getByTestId('live-status').filter({ hasText: /^live$/ }).waitFor();
    // Still the live server's picture (its socket sampler may add rows meanwhile; nothing was taken away).
    expect(await page.getByTestId('conn-row').count()).toBe(2);
    expect(await page.locator('[data-testid=event-row][data-kind=message]').count()).toBe(3);
    expect(await page.locator('[data-testid=event-row][data-kind=close]').count()).toBe(2);
  });
});
