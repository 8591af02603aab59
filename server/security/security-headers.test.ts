// The built dashboard under its real CSP in a real Chromium: no violation of any kind (script, style,
// image, the same-origin WebSocket), and, with a token, the printed URL signs the browser in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Tcpscope } from '../app.ts';
import { DEFAULT_STATIC_DIR } from '../app.ts';
import { startTestScope } from '../../test/helpers.ts';
import { dashboardUrl } from './security-options.ts';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'];

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
});

/**
 * zod probes once whether it may compile validators with `Function('')`, catches the refusal and
 * validates without: the one violation that changes nothing. (`z.config({ jitless: true })` in the
 * page would skip the probe.)
 */
const ZOD_EVAL_PROBE = 'csp-violation: script-src eval';

/** Opens `url` and collects every CSP violation the page reports, from the first byte on. */
async function open(url: string): Promise<{ page: Page; violations: string[] }> {
  const page = await browser.newPage();
  const violations: string[] = [];
  page.on('console', (m) => {
    const text = m.text();
    if (text.startsWith('csp-violation:') ? text !== ZOD_EVAL_PROBE : /Content Security Policy/.test(text)) violations.push(text);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`csp-violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url);
  return { page, violations };
}

async function whenLive(page: Page): Promise<void> {
  await page.getByTestId('live-status').filter({ hasText: /^live$/ }).waitFor();
}

describe('the dashboard under its CSP', () => {
  let scope: Tcpscope;
  afterAll(async () => {
    await scope?.close();
  });

  it('loads, goes live over its WebSocket and draws a burst without a single violation', async () => {
    scope = await startTestScope({ staticDir: DEFAULT_STATIC_DIR });
    const { page, violations } = await open(`${scope.httpUrl}/`);
    await whenLive(page);
    await page.getByRole('button', { name: 'Send burst' }).click();
    await page.getByTestId('conn-row').first().waitFor();
    await page.locator('[data-testid=event-row][data-kind=read]').first().waitFor();
    // recharts draws with style props, which React applies through the DOM: no 'unsafe-inline' needed.
    await page.locator('[data-testid=reads-chart] svg').first().waitFor();
    expect(violations).toEqual([]);
    await page.close();
  });
});

describe('signing in with the token', () => {
  let scope: Tcpscope;
  afterAll(async () => {
    await scope?.close();
  });

  it('shows "token required" without it, and the dashboard once the printed URL was opened', async () => {
    scope = await startTestScope({ staticDir: DEFAULT_STATIC_DIR, security: { token: 'browser-token-0123456789' } });
    const denied = await open(`${scope.httpUrl}/`);
    await denied.page.getByRole('heading', { name: 'Token required' }).waitFor();
    expect(denied.violations).toEqual([]);
    await denied.page.close();

    const url = dashboardUrl(scope.httpUrl, { token: 'browser-token-0123456789', tokenGenerated: true });
    const { page, violations } = await open(url);
    await whenLive(page);
    expect(new URL(page.url()).searchParams.has('token')).toBe(false); // the token left the address bar
    expect(await page.evaluate(() => document.cookie)).toBe(''); // and no cookie carries it
    expect(violations).toEqual([]);
    await page.close();
  });
});
