// The analyst's tools in a real Chromium against a real tcpscope capturing with tcpdump: display filter,
// packet list beside the ladder, follow stream, copy, compare. Every step waits for the page to show
// something, never for time; each runs at every screen size (screens.ts).
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTcpscope, type Tcpscope } from '../../server/app.ts';
import { useBrowser } from './browser.ts';
import { SCREENS, sidewaysOverflow } from './screens.ts';

const e2e = useBrowser();
const cleanups = e2e.cleanups;

async function startScope(): Promise<Tcpscope> {
  const scope = await startTcpscope({ httpPort: 0, tcpPort: 0, capture: true });
  cleanups.push(() => scope.close());
  expect(await scope.capture.whenListening()).toBe(true);
  return scope;
}

async function open(scope: Tcpscope, viewport: { width: number; height: number }): Promise<Page> {
  const context = await e2e.browser.newContext({ viewport, permissions: ['clipboard-read', 'clipboard-write'] });
  cleanups.push(() => context.close());
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  e2e.failOnPageErrors(page);
  await page.goto(`${scope.httpUrl}/`);
  await page.getByTestId('live-status').filter({ hasText: /^live$/ }).waitFor();
  return page;
}

async function sendBurst(page: Page): Promise<number> {
  const before = await page.getByTestId('conn-row').count();
  await page.getByRole('button', { name: 'Send burst' }).click();
  await page.getByTestId('conn-row').nth(before).waitFor();
  return Number(await page.getByTestId('conn-row').first().getAttribute('data-conn-id'));
}

const rows = (page: Page) => page.getByTestId('packet-row');
const ladderSeg = (page: Page, connId: number) => page.locator(`[data-testid=wire-ladder][data-conn-id="${connId}"] [data-testid=ladder-segment]`);

describe('analysis tools', () => {
  for (const screen of SCREENS) {
    const tag = `${screen.width}x${screen.height}`;
    it(`filters, lists, follows, copies and compares at ${tag}`, { timeout: 120_000 }, async () => {
      const scope = await startScope();
      const page = await open(scope, screen);
      await page.getByRole('button', { name: 'Wire', exact: true }).click();

      // A burst at buffer 1024: three writes → one 21-byte segment → one read. Wait for its teardown so
      // the packet list stops growing.
      const first = await sendBurst(page);
      await ladderSeg(page, first).and(page.locator('[data-flags="FIN, ACK"][data-dir=s2c]')).first().waitFor();
      await page.locator('[data-testid=packet-row][data-len="21"]').waitFor();
      const total = await ladderSeg(page, first).count();
      await page.getByTestId('packet-count').filter({ hasText: `${total} packets` }).waitFor();

      // The ladder's default pick (the first client data segment) is the list's selected row.
      await page.locator('[data-testid=packet-row][data-len="21"][aria-selected=true]').waitFor();

      // j moves the selection down in the list; the ladder's arrow follows.
      const list = page.getByTestId('packet-list');
      await list.focus();
      const dataNo = Number(await page.locator('[data-testid=packet-row][data-len="21"]').getAttribute('data-no'));
      await page.keyboard.press('j');
      const next = page.locator(`[data-testid=packet-row][data-no="${dataNo + 1}"][aria-selected=true]`);
      await next.waitFor();
      const nextSeq = await next.getAttribute('data-seq');
      await page.locator(`[data-testid=ladder-segment][data-seq="${nextSeq}"][aria-pressed=true]`).waitFor();
      await page.keyboard.press('ArrowUp');
      await page.locator('[data-testid=packet-row][data-len="21"][aria-selected=true]').waitFor();
      // A click on a ladder arrow selects its row.
      await ladderSeg(page, first).and(page.locator('[data-flags="SYN"]')).click();
      await page.locator('[data-testid=packet-row][data-no="1"][aria-selected=true]').waitFor();

      // Sort by length, descending: the data segment comes first.
      await page.getByTestId('sort-len').click();
      await page.getByTestId('sort-len').click();
      await page.getByTestId('sort-len').filter({ hasText: '▼' }).waitFor();
      expect(await rows(page).first().getAttribute('data-len')).toBe('21');
      await page.getByTestId('sort-no').click();
      expect(await rows(page).first().getAttribute('data-no')).toBe('1');
      // Time since start begins at 0; delta too.
      await page.getByTestId('time-mode').selectOption('delta');
      expect(await rows(page).first().getByTestId('packet-time').textContent()).toBe('0.000000');
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `/tmp/tcpscope-analysis-wire-${tag}.png`, fullPage: true });

      // The display filter: an error names the token and its place; a good filter keeps the data segment.
      const filter = page.getByTestId('display-filter');
      await filter.fill('lenn > 0');
      await page.getByTestId('filter-error').filter({ hasText: "unknown field 'lenn' at 1" }).waitFor();
      await filter.fill('len>0 && dir==c2s');
      await page.getByTestId('packet-count').filter({ hasText: `1 of ${total} packets shown` }).waitFor();
      expect(await rows(page).count()).toBe(1);
      expect(await page.getByTestId('filter-error').count()).toBe(0);
      await filter.fill('contains "Hello2"');
      await page.getByTestId('packet-count').filter({ hasText: `1 of ${total} packets shown` }).waitFor();
      await filter.fill('');
      // Hide pure ACKs: every row left carries data or SYN/FIN/RST.
      await page.getByTestId('hide-pure-acks').check();
      await page.getByTestId('packet-count').filter({ hasText: /of \d+ packets shown/ }).waitFor();
      for (const row of await rows(page).all()) expect(await row.textContent()).not.toMatch(/\[ACK\] .*Len=0$/);
      await page.getByTestId('hide-pure-acks').uncheck();

      // Copy the selected segment's payload as an escaped string.
      await page.locator('[data-testid=packet-row][data-len="21"]').click();
      await page.getByRole('button', { name: 'Copy segment payload as escaped string' }).click();
      await page.getByTestId('copy-status').filter({ hasText: 'copied 21 B as escaped string' }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('"Hello1\\nHello2\\nHello3\\n"');
      await page.getByRole('button', { name: 'Copy segment payload as C array' }).click();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^unsigned char payload\[21\] = \{\n {2}0x48, 0x65/);

      // Follow stream: one read of 21 with two write cuts inside, then the reply.
      await page.getByRole('button', { name: 'Follow stream' }).click();
      const follow = page.getByTestId('follow-stream');
      await follow.waitFor();
      expect(await follow.locator('[data-testid=follow-chunk][data-dir=c2s]').textContent()).toBe('Hello1\nHello2\nHello3\n');
      expect(await follow.getByTestId('write-cut').count()).toBe(2);
      expect(await follow.getByTestId('read-cut').count()).toBe(1);
      expect(await follow.locator('[data-testid=follow-chunk][data-dir=s2c]').first().textContent()).toContain('Received: 21');
      await page.getByRole('button', { name: 'Hex', exact: true }).click();
      await follow.locator('[data-testid=follow-chunk][data-dir=c2s]').filter({ hasText: /^48 65 6C 6C 6F 31 0A/ }).waitFor();
      await follow.locator('[data-testid=follow-chunk][data-dir=s2c]').first().click();
      await page.getByRole('button', { name: 'Copy reply payload as hex' }).click();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^52 65 63 65 69 76 65 64/); // "Received"

      // Compare: a second burst at buffer 7 reads the same 21 bytes in three reads.
      await page.getByRole('button', { name: '7', exact: true }).click();
      await page.getByRole('button', { name: '7', exact: true, pressed: true }).waitFor();
      const second = await sendBurst(page);
      await page.locator(`[data-testid=wire-ladder][data-conn-id="${second}"][data-reads="3"]`).waitFor();
      await page.getByRole('button', { name: 'Compare', exact: true }).click();
      await page.getByTestId('analysis-compare-select').selectOption(String(first));
      await page.locator(`[data-testid=compare-left][data-conn-id="${second}"][data-reads="3"]`).waitFor();
      await page.locator(`[data-testid=compare-right][data-conn-id="${first}"][data-reads="1"]`).waitFor();
      expect(await page.getByTestId('compare-left-stream').getByTestId('read-cut').count()).toBe(3);
      expect(await page.getByTestId('compare-right-stream').getByTestId('read-cut').count()).toBe(1);
      await page.getByRole('region', { name: `Byte stream of #${second}` }).getByText('3 writes → 3 reads').waitFor();
      await page.getByRole('region', { name: `Byte stream of #${first}` }).getByText('3 writes → 1 read').waitFor();
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      await page.getByRole('region', { name: 'Follow stream and compare' }).screenshot({ path: `/tmp/tcpscope-analysis-${tag}.png` });

      // The same filter bar drives the event log: reads of 7 bytes only.
      await page.getByRole('button', { name: 'Reads', exact: true }).click();
      await filter.fill('kind==read && length==7');
      await page.getByTestId('log-count').filter({ hasText: /^3 of / }).waitFor();
      for (const row of await page.getByTestId('event-row').all()) expect(await row.getAttribute('data-kind')).toBe('read');
      // Copy an event's payload from its detail: the client's second write.
      await filter.fill(`kind==write && conn==${second} && offset==7`);
      await page.getByTestId('log-count').filter({ hasText: /^1 of / }).waitFor();
      await page.getByTestId('event-row').click();
      await page.getByRole('button', { name: 'Copy write payload as escaped string' }).click();
      await page.getByTestId('copy-status').filter({ hasText: 'copied 7 B as escaped string' }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('"Hello2\\n"');
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `/tmp/tcpscope-analysis-log-${tag}.png`, fullPage: true });
    });
  }
});
