// Home and End in a session replay (issue 11, item 11): Home jumps to the start of the session, before its
// first event, and End to the end, by key or by button, and every view follows. A real tcpscope's own
// export replayed in a real Chromium; each step waits for the page.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTcpscope } from '../../server/app.ts';
import { nextEvent } from '../helpers.ts';
import { useBrowser } from './browser.ts';
import { SCREENS, sidewaysOverflow } from './screens.ts';

const e2e = useBrowser();
const cleanups = e2e.cleanups;

const position = (page: Page) => page.getByTestId('replay-position');
const at = (page: Page, n: number) => page.locator(`[data-testid=replay-position][data-position="${n}"]`).waitFor();

describe('replay: Home and End', () => {
  for (const screen of SCREENS) {
    it(`jump to the start and the end of the session at ${screen.width}×${screen.height}`, { timeout: 60_000 }, async () => {
      const scope = await startTcpscope({ httpPort: 0, tcpPort: 0, capture: false });
      cleanups.push(() => scope.close());
      const closed = nextEvent(scope, (e) => e.kind === 'close', 'the burst to close');
      await fetch(`${scope.httpUrl}/api/bursts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"count":3}' });
      await closed;

      const page = await e2e.browser.newPage({ viewport: screen });
      cleanups.push(() => page.close());
      e2e.failOnPageErrors(page);
      page.setDefaultTimeout(15_000);
      // The server's own session, replayed: it opens at its end.
      await page.goto(`${scope.httpUrl}/?session=/api/session.json`);
      await page.getByTestId('replay-bar').waitFor();
      const length = Number(await position(page).getAttribute('data-length'));
      expect(length).toBeGreaterThan(5);
      await at(page, length);
      await page.getByTestId('conn-row').first().waitFor();
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);

      // Home: the start, before the first event; every view is empty again.
      await page.keyboard.press('Home');
      await at(page, 0);
      await page.getByTestId('event-log').getByText('No events yet.').waitFor();
      expect(await page.getByTestId('replay-start').isDisabled()).toBe(true);
      // A step from there shows the first event; End shows them all.
      await page.keyboard.press('ArrowRight');
      await at(page, 1);
      await page.keyboard.press('End');
      await at(page, length);
      await page.getByTestId('ribbon-summary').filter({ hasText: '3 writes → 1 read' }).waitFor();
      expect(await page.getByTestId('replay-end').isDisabled()).toBe(true);

      // The buttons do the same.
      await page.getByTestId('replay-start').click();
      await at(page, 0);
      await page.getByTestId('replay-end').click();
      await at(page, length);
      // In the event log, Home and End move between its rows (newest, oldest), as ↑/↓ do: the scrubber stays.
      // The views follow the scrubber at their own pace under load: the log holds every event once it says so.
      await page.getByTestId('log-count').filter({ hasText: new RegExp(`^${length}$`) }).waitFor();
      const rowCount = length;
      const focusedRow = (index: number) =>
        page.waitForFunction((i) => (document.activeElement as HTMLElement | null)?.dataset.index === String(i), index);
      await page.getByTestId('event-row').first().focus();
      await page.keyboard.press('End');
      await focusedRow(rowCount - 1);
      await page.keyboard.press('Home');
      await focusedRow(0);
      expect(await position(page).getAttribute('data-position')).toBe(String(length));
      // Home while typing in a field is the field's own: the scrubber stays at the end, so a step back
      // from there (once out of the field) lands one before it, not at 0.
      await page.getByTestId('display-filter').fill('kind==read');
      await page.getByTestId('display-filter').press('Home');
      await page.getByTestId('display-filter').blur();
      await page.keyboard.press('ArrowLeft');
      await at(page, length - 1);
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    });
  }
});
