// The burst form's harder options in a real Chromium against a real tcpscope: a chaos split in the
// server's framing still yields whole messages, replies left unread make the close a reset, and what the
// server would refuse is refused in its words. Every step waits for the page or the server, never for time.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createSplitter } from '../../shared/chaos-split.ts';
import type { TcpEvent } from '../../shared/events.ts';
import { DEFAULT_STATIC_DIR, type Tcpscope } from '../../server/app.ts';
import { json, startTestScope } from '../helpers.ts';
import { useBrowser } from './browser.ts';

const e2e = useBrowser();
const cleanups = e2e.cleanups;

async function startScope(): Promise<Tcpscope> {
  const scope = await startTestScope({ staticDir: DEFAULT_STATIC_DIR });
  cleanups.push(() => scope.close());
  return scope;
}

async function openPage(scope: Tcpscope): Promise<Page> {
  const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 1000 } });
  cleanups.push(() => page.close());
  e2e.failOnPageErrors(page);
  await page.goto(`${scope.httpUrl}/`);
  await page.getByTestId('live-status').filter({ hasText: /^live$/ }).waitFor();
  return page;
}

/** Sends the burst as set in the form and returns the new connection's id, read from the connection list. */
async function sendBurst(page: Page): Promise<number> {
  const before = await page.getByTestId('conn-row').count();
  await page.getByRole('button', { name: 'Send burst' }).click();
  await page.getByTestId('conn-row').nth(before).waitFor();
  return Number(await page.getByTestId('conn-row').first().getAttribute('data-conn-id'));
}

function options(page: Page) {
  return page.getByRole('group', { name: 'Burst options' });
}

async function openOptions(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'More…' }).click();
  await options(page).waitFor();
}

/** The pieces the client cuts Hello1\n..Hello3\n into with this seed: the same seed cuts the same way. */
function chaosWrites(seed: number): number {
  const cut = createSplitter({ mode: 'random', seed, minBytes: 1, maxBytes: 16 });
  let writes = 0;
  for (let i = 1; i <= 3; i++) writes += cut(new TextEncoder().encode(`Hello${i}\n`)).length;
  return writes;
}

describe('burst options', () => {
  it('cuts the server’s framing into chaos pieces and still gets whole messages; unread replies end in a reset', async () => {
    const scope = await startScope();
    expect((await json(scope, 'PATCH', '/api/config', { framing: { mode: 'delimiter', delimiter: '\n' } })).status).toBe(200);
    const page = await openPage(scope);

    // The framing adds the newline, so the payload leaves it out.
    await page.getByLabel('Payload').fill('Hello{n}');
    await openOptions(page);
    await options(page).getByLabel('Client framing').selectOption('server');
    await options(page).getByRole('option', { name: 'same as server (delimiter \\n)' }).waitFor({ state: 'attached' });
    await options(page).getByLabel('Split').selectOption('random');
    const seed = 23;
    const writes = chaosWrites(seed);
    expect(writes).toBeGreaterThan(3);
    await options(page).getByLabel('Seed').fill(String(seed));
    await page.getByTestId('burst-total').filter({ hasText: `= 21 B in ${writes} writes` }).waitFor();

    // Sending closes the options; what was chosen stays in force, and says so.
    const connId = await sendBurst(page);
    await page.getByRole('button', { name: 'More…', expanded: false }).waitFor();
    expect(await page.getByTestId('burst-summary').textContent()).toBe(`server framing · chaos seed ${seed}`);
    await page.locator(`[data-testid=conn-row][data-conn-id="${connId}"][data-state=closed]`).waitFor();

    const messageRows = page.locator(`[data-testid=event-row][data-kind=message][data-conn-id="${connId}"]`);
    for (const text of ['Hello1', 'Hello2', 'Hello3']) await messageRows.filter({ hasText: text }).waitFor();
    expect(await messageRows.count()).toBe(3);
    expect(await messageRows.first().textContent()).toMatch(/message 6 B \(reads? #\d+(–#\d+)?\)/);

    const written = await json<TcpEvent[]>(scope, 'GET', `/api/events?kind=write&connId=${connId}`);
    expect(written.body.length).toBe(writes);
    const messages = await json<TcpEvent[]>(scope, 'GET', `/api/events?kind=message&connId=${connId}`);
    expect(messages.body.map((m) => m.kind === 'message' && Buffer.from(m.hex.replaceAll(' ', ''), 'hex').toString())).toEqual([
      'Hello1',
      'Hello2',
      'Hello3',
    ]);

    // Read buffer 7, and close without reading the server's replies: the kernel answers the close with a reset.
    await page.getByRole('button', { name: '7', exact: true }).click();
    await page.getByRole('button', { name: '7', exact: true, pressed: true }).waitFor();
    await openOptions(page);
    await options(page).getByLabel('close without reading replies').check();
    await page.screenshot({ path: '/tmp/tcpscope-burst.png' });
    await options(page).press('Escape');
    await page.getByRole('button', { name: 'More…', expanded: false }).waitFor();
    expect(await page.getByTestId('burst-summary').textContent()).toContain('replies unread');

    const unread = await sendBurst(page);
    await page.locator(`[data-testid=conn-row][data-conn-id="${unread}"][data-state=closed]`).filter({ hasText: 'reset' }).waitFor();
    const connections = await json<{ id: number; closeReason: string | null }[]>(scope, 'GET', '/api/connections');
    expect(connections.body.find((c) => c.id === unread)?.closeReason).toBe('reset');
  });

  it('refuses what the server would before sending, and shows the server’s own refusal', async () => {
    const scope = await startScope();
    const page = await openPage(scope);

    // A blank seed: the page names the field with the server's words and opens the options to it.
    await openOptions(page);
    await options(page).getByLabel('Split').selectOption('random');
    await options(page).getByLabel('Seed').fill('');
    await page.getByTestId('burst-invalid').filter({ hasText: 'Seed: must be an integer from 0 to 4294967295' }).waitFor();
    await options(page).press('Escape');
    await page.getByRole('button', { name: 'Send burst' }).click();
    await options(page).waitFor();
    expect(await options(page).getByLabel('Seed').getAttribute('aria-invalid')).toBe('true');
    expect(await options(page).getByLabel('Seed').evaluate((el) => el === document.activeElement)).toBe(true);

    // A 300-byte payload in the server's 1-byte length prefix: only the server knows its framing for sure.
    expect((await json(scope, 'PATCH', '/api/config', { framing: { mode: 'length-prefix', prefixBytes: 1 } })).status).toBe(200);
    await options(page).getByRole('option', { name: 'same as server (1-byte prefix)' }).waitFor({ state: 'attached' });
    await options(page).getByLabel('Seed').fill('5');
    await options(page).getByLabel('Client framing').selectOption('server');
    await page.getByLabel('Payload').fill('x'.repeat(300));
    await page.getByRole('button', { name: 'Send burst' }).click();
    await page
      .getByTestId('notice')
      .filter({ hasText: 'Send burst: body.payload: a 1-byte length prefix holds at most 255 bytes; write 1 has 300' })
      .waitFor();

    // Neither refused burst opened a connection; the next good one is the first.
    await page.getByLabel('Payload').fill('ok{n}');
    const connId = await sendBurst(page);
    expect(await page.getByTestId('conn-row').count()).toBe(1);
    await page.locator(`[data-testid=conn-row][data-conn-id="${connId}"][data-state=closed]`).waitFor();
  });
});
