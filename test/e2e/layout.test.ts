// The page on every screen (issue 11, items 1 and 9): at laptop, desktop and phone sizes the byte ribbon
// keeps its rows after a scenario's caption, scenario 5's messages row is inside its panel, every panel is
// a named region the user can reach, and nothing makes the page pan sideways.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowser } from './browser.ts';
import { SCREENS, sidewaysOverflow } from './screens.ts';
import { startTcpscope, type Tcpscope } from '../../server/app.ts';

const e2e = useBrowser();
const cleanups = e2e.cleanups;


async function startScope(): Promise<Tcpscope> {
  const scope = await startTcpscope({ httpPort: 0, tcpPort: 0, capture: false });
  cleanups.push(() => scope.close());
  return scope;
}

async function openAt(scope: Tcpscope, viewport: { width: number; height: number }): Promise<Page> {
  const page = await e2e.browser.newPage({ viewport });
  cleanups.push(() => page.close());
  e2e.failOnPageErrors(page);
  page.setDefaultTimeout(15_000);
  await page.goto(`${scope.httpUrl}/`);
  await page.getByTestId('live-status').filter({ hasText: /^live$/ }).waitFor();
  return page;
}

async function box(page: Page, selector: string) {
  const b = await page.locator(selector).first().boundingBox();
  if (b === null) throw new Error(`${selector} is not rendered`);
  return b;
}

describe('layout', () => {
  for (const screen of SCREENS) {
    it(`keeps the ribbon, the messages row and every panel at ${screen.width}×${screen.height}`, async () => {
      const scope = await startScope();
      const page = await openAt(scope, screen);

      await page.locator('[data-scenario="newline-framing-chaos"]').click();
      await page.getByTestId('scenario-caption').waitFor();
      await page.getByTestId('ribbon-message').first().waitFor();

      // The ribbon keeps all four of its rows, the messages row included, inside its panel.
      const ribbon = await box(page, '[data-testid=byte-ribbon]');
      const messages = await box(page, '[data-testid=ribbon-messages]');
      const reads = await box(page, '.ribbon-row.row-read');
      expect(ribbon.height).toBeGreaterThanOrEqual(120);
      expect(messages.height).toBeGreaterThanOrEqual(20);
      expect(messages.y + messages.height).toBeLessThanOrEqual(ribbon.y + ribbon.height);
      expect(reads.y).toBeGreaterThan(ribbon.y);

      // The chart and the log keep a readable height.
      expect((await box(page, 'section[aria-label="Writes and reads"]')).height).toBeGreaterThanOrEqual(200);
      expect((await box(page, 'section[aria-label="Event log"]')).height).toBeGreaterThanOrEqual(200);

      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);

      // Every panel is a named region that fits the width and can be scrolled to.
      for (const name of ['Connections', 'Writes and reads', 'Byte stream', 'Event log', 'Scenarios']) {
        const region = page.getByRole('region', { name, exact: true });
        await region.scrollIntoViewIfNeeded();
        const b = await region.boundingBox();
        expect(b, name).not.toBeNull();
        expect(b!.x, name).toBeGreaterThanOrEqual(0);
        expect(b!.x + b!.width, name).toBeLessThanOrEqual(screen.width);
      }
      const send = page.getByRole('button', { name: 'Send burst' });
      await send.scrollIntoViewIfNeeded();
      const sb = await send.boundingBox();
      expect(sb!.x + sb!.width).toBeLessThanOrEqual(screen.width);

      // Sending a burst from here works; the scenario pinned its connection, so pick the new one.
      const before = await page.getByTestId('conn-row').count();
      await send.click();
      await page.getByTestId('conn-row').nth(before).waitFor();
      const row = page.getByTestId('conn-row').first();
      await row.scrollIntoViewIfNeeded();
      await row.click();
      await page.getByTestId('ribbon-summary').filter({ hasText: '3 writes → 1 read' }).waitFor();
    });

    it(`gives the wire view room at ${screen.width}×${screen.height}`, async () => {
      const scope = await startScope();
      const page = await openAt(scope, screen);
      await page.getByRole('button', { name: 'Send burst' }).click();
      await page.getByTestId('conn-row').first().waitFor();
      await page.getByRole('button', { name: 'Wire', exact: true }).click();
      const conns = await box(page, 'section[aria-label="Connections"]');
      expect(conns.height).toBeGreaterThanOrEqual(150);
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);

      // The packet list sits beside the ladder (Wireshark's list next to the picture), stacked under it on a phone.
      const ladder = await box(page, 'section[aria-label="Sequence ladder"]');
      const packets = await box(page, 'section[aria-label="Packet list"]');
      expect(packets.height).toBeGreaterThanOrEqual(200);
      if (screen.width > 760) {
        expect(packets.x + packets.width).toBeLessThanOrEqual(ladder.x);
        expect(packets.y).toBeLessThan(ladder.y + ladder.height);
        expect(packets.y + packets.height).toBeGreaterThan(ladder.y);
      } else {
        expect(packets.y).toBeGreaterThanOrEqual(ladder.y + ladder.height);
        expect(packets.width).toBeGreaterThanOrEqual(screen.width - 20);
      }
      for (const name of ['Sequence ladder', 'Packet list', 'Packet detail', 'Kernel socket state', 'Follow stream and compare']) {
        const region = page.getByRole('region', { name, exact: true });
        await region.scrollIntoViewIfNeeded();
        const b = await region.boundingBox();
        expect(b, name).not.toBeNull();
        expect(b!.x + b!.width, name).toBeLessThanOrEqual(screen.width);
      }
    });
  }
});
