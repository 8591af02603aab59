// The token screen in a real Chromium against a real tcpscope started with a token: the browser signs
// in once through `/?token=…`, loses its cookie, and the page must say so in words instead of
// retrying forever. Every step waits for something on the page or on the server, never for time.
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { DEFAULT_STATIC_DIR, type Tcpscope } from '../../server/app.ts';
import { startTestScope } from '../helpers.ts';
import { useBrowser } from './browser.ts';

const TOKEN = 'tcpscope-test-token-0123456789';
const SCREEN_TEXT =
  'This tcpscope needs its access token. Open the address tcpscope printed when it started (it ends in /?token=…).';

const e2e = useBrowser();
const cleanups = e2e.cleanups;

async function startScope(): Promise<Tcpscope> {
  const scope = await startTestScope({ staticDir: DEFAULT_STATIC_DIR, security: { token: TOKEN } });
  cleanups.push(() => scope.close());
  return scope;
}

async function newContext(): Promise<BrowserContext> {
  const context = await e2e.browser.newContext({ viewport: { width: 1280, height: 800 } });
  cleanups.push(() => context.close());
  return context;
}

/** Signs in as the printed address does, and waits for the live page at `/`, the token gone from the address. */
async function signIn(context: BrowserContext, scope: Tcpscope): Promise<Page> {
  const page = await context.newPage();
  e2e.failOnPageErrors(page);
  await page.goto(`${scope.httpUrl}/?token=${TOKEN}`);
  await page.getByTestId('live-status').filter({ hasText: /^live$/ }).waitFor();
  expectNoToken(page);
  return page;
}

/** The page may keep its view in the address (`?buffer=…`), but never the token. */
function expectNoToken(page: Page): void {
  expect(page.url()).not.toContain(TOKEN);
  expect(new URL(page.url()).searchParams.has('token')).toBe(false);
}

function tokenScreen(page: Page) {
  return page.getByTestId('token-required');
}

describe('token required', () => {
  it('shows the token screen when an API call is refused, and goes live again once the token is back', async () => {
    const scope = await startScope();
    const context = await newContext();
    const page = await signIn(context, scope);

    await context.clearCookies();
    await page.getByRole('button', { name: 'Send burst' }).click();
    await tokenScreen(page).waitFor();
    await page.getByRole('heading', { name: 'Token required' }).waitFor();
    expect(await tokenScreen(page).textContent()).toContain(SCREEN_TEXT);
    // The refused burst never reached the echo server, and the page kept the token out of its address.
    expect(scope.registry.list()).toEqual([]);
    expectNoToken(page);

    // The printed address opened in a second tab brings the cookie back; the first tab picks it up.
    await signIn(context, scope);
    await page.getByRole('button', { name: 'Check again' }).click();
    await page.getByTestId('live-status').filter({ hasText: /^live$/ }).waitFor();
    expect(await tokenScreen(page).count()).toBe(0);
    expectNoToken(page);
  });

  it('stops reconnecting and shows the token screen when the live stream is refused', async () => {
    const scope = await startScope();
    const context = await newContext();
    const page = await signIn(context, scope);
    const upgrades: string[] = [];
    page.on('websocket', (ws) => upgrades.push(ws.url()));

    await context.clearCookies();
    // The live socket drops (as on a network blip); its reconnect meets the token check and fails.
    for (const client of scope.app.websocketServer.clients) client.terminate();
    await tokenScreen(page).waitFor();
    expect(await tokenScreen(page).textContent()).toContain(SCREEN_TEXT);
    const attempts = upgrades.length;
    expect(attempts).toBeGreaterThan(0);
    expect(upgrades.every((u) => !u.includes('token'))).toBe(true);

    // Without the cookie, checking again says so and stays on the screen, and no new socket was tried.
    await page.getByRole('button', { name: 'Check again' }).click();
    await page.getByText('Still no token in this browser.').waitFor();
    await tokenScreen(page).waitFor();
    expect(upgrades.length).toBe(attempts);
  });
});
