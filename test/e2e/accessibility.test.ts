// Accessibility (issue 11, item 10): axe-core finds no critical or serious violation in the Reads view and
// the Wire view, with data on screen and the event detail open; the page has a skip link and an h1, the
// log's rows open their detail from the keyboard, and the connection list is one tab stop.
import { AxeBuilder } from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowser } from './browser.ts';
import { SCREENS } from './screens.ts';
import { startTcpscope } from '../../server/app.ts';

const e2e = useBrowser();
const cleanups = e2e.cleanups;

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

describe('accessibility', () => {
  for (const screen of SCREENS) {
    it(`has no critical or serious axe violation in the Reads and Wire views at ${screen.width}×${screen.height}`, async () => {
      const scope = await startTcpscope({ httpPort: 0, tcpPort: 0 });
      cleanups.push(() => scope.close());
      // axe injects itself into every frame, which takes a context of our own.
      const context = await e2e.browser.newContext({ viewport: screen });
      cleanups.push(() => context.close());
      const page = await context.newPage();
      e2e.failOnPageErrors(page);
      page.setDefaultTimeout(15_000);
      await page.goto(`${scope.httpUrl}/`);
      await page.getByTestId('live-status').filter({ hasText: /^live$/ }).waitFor();
      // The skip link and the page's one h1.
      expect(await page.locator('h1').count()).toBe(1);
      await page.keyboard.press('Tab');
      const skip = page.getByRole('link', { name: 'Skip to the data' });
      expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('data');

      await page.getByRole('button', { name: 'Send burst' }).click();
      await page.getByTestId('ribbon-summary').filter({ hasText: '3 writes → 1 read' }).waitFor();
      await page.getByRole('button', { name: 'Send burst' }).click();
      await page.getByTestId('conn-row').nth(1).waitFor();


      // A log row opens its detail from the keyboard. The second burst's read is in the log first, so the
      // rows that arrive after the focus are few; press() focuses the row and presses in one step.
      const ids = await page.getByTestId('conn-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-conn-id'))));
      const row = page.locator(`[data-testid=event-row][data-kind=read][data-conn-id="${Math.max(...ids)}"]`);
      await row.waitFor();
      await row.press('Enter');
      await page.getByTestId('event-detail').waitFor();

      // The connection list is one tab stop; arrows move the selection within it.
      expect(await page.locator('[data-testid=conn-row][tabindex="0"]').count()).toBe(1);

      expect(await seriousViolations(page)).toEqual([]);

      await page.getByRole('button', { name: 'Wire', exact: true }).click();
      await page.getByRole('region', { name: 'Sequence ladder' }).waitFor();
      await page.locator('[data-testid=ladder-segment]').first().waitFor();
      await page.locator('[data-testid=ladder-segment]').first().click();
      expect(await seriousViolations(page)).toEqual([]);
    }, 120_000);
  }
});
