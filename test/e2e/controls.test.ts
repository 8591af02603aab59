// The controls as a new user meets them (issue 11, items 6, 7, 8 and 11), at every screen size: the read
// buffer is checked in the page, one word per meaning of "pause", config rows say what changed, scenarios
// show whom they speak of and leave a one-click way back to the defaults, Clear empties the header too.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowser } from './browser.ts';
import { SCREENS } from './screens.ts';
import { DEFAULT_CONFIG, type Config } from '../../shared/config.ts';
import { startTcpscope, type Tcpscope } from '../../server/app.ts';

const e2e = useBrowser();
const cleanups = e2e.cleanups;

async function open(viewport: { width: number; height: number }): Promise<{ scope: Tcpscope; page: Page }> {
  const scope = await startTcpscope({ httpPort: 0, tcpPort: 0, capture: false });
  cleanups.push(() => scope.close());
  const page = await e2e.browser.newPage({ viewport });
  cleanups.push(() => page.close());
  e2e.failOnPageErrors(page);
  page.setDefaultTimeout(15_000);
  await page.goto(`${scope.httpUrl}/`);
  await page.getByTestId('live-status').filter({ hasText: /^live$/ }).waitFor();
  return { scope, page };
}

async function getConfig(scope: Tcpscope): Promise<Config> {
  return (await fetch(`${scope.httpUrl}/api/config`)).json() as Promise<Config>;
}

describe('controls', () => {
  for (const screen of SCREENS) {
    const at = `${screen.width}×${screen.height}`;

    it(`checks the read buffer in the page and logs what a change changed at ${at}`, async () => {
      const { scope, page } = await open(screen);
      const input = page.getByLabel('Read buffer');
      await expect(page.locator('#read-buffer-range').textContent()).resolves.toBe('1–65536 B');
      for (const bad of ['0', '70000', '-5', '7.5']) {
        await input.fill(bad);
        await input.press('Enter');
        const problem = page.getByTestId('buffer-invalid');
        await problem.waitFor();
        expect(await problem.textContent(), bad).toContain('1–65536 B');
        expect(await input.getAttribute('aria-invalid')).toBe('true');
        expect(await input.inputValue()).toBe(bad); // kept for the user to fix, not snapped back
      }
      expect((await getConfig(scope)).bufferSize).toBe(1024); // nothing was sent

      // "1e3" is taken as 1000, and the field shows it as applied.
      await input.fill('1e3');
      await input.press('Enter');
      await page.getByTestId('config-summary').filter({ hasText: 'buffer 1000 B' }).waitFor();
      expect((await getConfig(scope)).bufferSize).toBe(1000);
      expect(await input.inputValue()).toBe('1000');
      await page.locator('[data-testid=event-row][data-kind=config]').filter({ hasText: 'read buffer 1024 → 1000 B' }).waitFor();

      // One word per meaning: the page view freezes, the server stops reading.
      expect(await page.getByRole('button', { name: 'Pause', exact: true }).count()).toBe(0);
      await page.getByRole('button', { name: 'Freeze', exact: true }).click();
      await page.getByText('view frozen').waitFor();
      await page.getByRole('button', { name: /^Resume/ }).click();
      await page.getByLabel('Stop reading').click();
      await page.getByTestId('config-summary').filter({ hasText: 'reading stopped' }).waitFor();
      await page.locator('[data-testid=event-row][data-kind=config]').filter({ hasText: 'reading stopped' }).waitFor();
    });

    it(`filters the log, says where a filter goes wrong, and copies a payload at ${at}`, async () => {
      const { page } = await open(screen);
      await page.getByRole('button', { name: 'Send burst' }).click();
      await page.getByTestId('ribbon-summary').filter({ hasText: '3 writes → 1 read' }).waitFor();
      const filter = page.getByTestId('display-filter');
      await filter.scrollIntoViewIfNeeded();
      await filter.fill('kind==read && length==21');
      await page.getByTestId('log-count').filter({ hasText: /^1 of / }).waitFor();
      expect(await page.getByTestId('event-row').count()).toBe(1);
      await filter.fill('kind==write && length==7');
      await page.getByTestId('log-count').filter({ hasText: /^3 of / }).waitFor();
      await filter.fill('len >');
      await page.getByTestId('filter-error').filter({ hasText: 'takes a number' }).waitFor();
      expect(await filter.getAttribute('aria-invalid')).toBe('true');
      await filter.fill('');
      expect(await page.getByTestId('filter-error').count()).toBe(0);

      // A read's payload copies as hex, an escaped string and a C array.
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
      const read = page.locator('[data-testid=event-row][data-kind=read]').first();
      await read.scrollIntoViewIfNeeded();
      await read.click();
      const copies = { hex: '48 65 6C 6C 6F 31 0A 48', string: '"Hello1\\nHello2\\nHello3\\n"', c: 'unsigned char payload[21] = {' };
      for (const [format, start] of Object.entries(copies)) {
        await page.getByTestId(`copy-${format}`).click();
        await page.getByTestId('copy-status').filter({ hasText: 'copied 21 B' }).waitFor();
        const copied = await page.evaluate(() => navigator.clipboard.readText());
        expect(copied.startsWith(start), `${format}: ${copied}`).toBe(true);
      }
    });

    it(`shows a scenario's first connection, its whole config and a way back at ${at}`, async () => {
      const { scope, page } = await open(screen);
      // Scenario 6 speaks of its first client first: that one is selected, the second is compared beside it.
      await page.locator('[data-scenario="length-prefix-oversize"]').click();
      await page.getByTestId('scenario-caption').waitFor();
      const ids = (await page.getByTestId('scenario-conn').allTextContents()).map((t) => Number(t.slice(1)));
      expect(ids).toHaveLength(2);
      await page.locator(`[data-testid=conn-row][data-conn-id="${ids[0]}"][aria-selected=true]`).waitFor();
      await page.locator('[data-testid=reads-chart]').and(page.locator(`[data-conn-id="${ids[0]}"]`)).waitFor();
      await page.getByRole('region', { name: 'Byte stream, compared' }).waitFor();
      // A caption's connection is one click away.
      await page.getByTestId('scenario-conn').nth(1).click();
      await page.locator(`[data-testid=conn-row][data-conn-id="${ids[1]}"][aria-selected=true]`).waitFor();

      // The status bar shows the framing the scenario left, and resets it in one click.
      await page.getByTestId('config-summary').filter({ hasText: 'framing length-prefix 2 B' }).waitFor();
      await page.getByTestId('config-reset').click();
      await page.getByTestId('config-summary').filter({ hasText: 'framing raw' }).waitFor();
      expect(await getConfig(scope)).toEqual(DEFAULT_CONFIG);
      expect(await page.getByTestId('config-reset').count()).toBe(0);

      // Clear empties the header's count as well as the views.
      await page.getByRole('button', { name: 'Clear', exact: true }).click();
      await page.getByTestId('event-count').filter({ hasText: /^0$/ }).waitFor();
    });
  }
});
