// "New session" in a real Chromium against a real tcpscope: the server forgets its events and closed
// connections, every page watching starts over from the empty state, an open connection keeps working,
// and an export afterwards holds only what followed. At every screen size; every wait is on the page.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SessionSchema } from '../../shared/session.ts';
import { startTcpscope, type Tcpscope } from '../../server/app.ts';
import { connectTcp, settleSamples } from '../helpers.ts';
import { useBrowser } from './browser.ts';
import { SCREENS, sidewaysOverflow } from './screens.ts';

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

async function exportedSeqs(scope: Tcpscope): Promise<number[]> {
  const doc = SessionSchema.parse(await (await fetch(`${scope.httpUrl}/api/session.json`)).json());
  return doc.events.map((e) => e.seq);
}

/** Asks for a new session through the page, cancelling once first; resolves when the page says it is done. */
async function newSession(page: Page): Promise<void> {
  await page.getByTestId('new-session').click();
  await page.getByTestId('new-session-confirm').waitFor();
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
  await page.getByTestId('new-session-no').click();
  expect(await page.getByTestId('new-session-confirm').count()).toBe(0);
  await page.getByTestId('new-session').click();
  await page.getByTestId('new-session-yes').click();
  await page.getByTestId('new-session-done').waitFor();
}

describe('new session', () => {
  for (const screen of SCREENS) {
    it(`clears the server for every page and keeps open connections at ${screen.width}×${screen.height}`, { timeout: 90_000 }, async () => {
      const scope = await startScope();
      const page = await openAt(scope, screen);
      const other = await openAt(scope, screen); // a second viewer, who pressed nothing

      // A burst: one closed connection with its events.
      await page.getByRole('button', { name: 'Send burst' }).click();
      await page.locator('[data-testid=conn-row][data-state=closed]').first().waitFor();
      await other.getByTestId('conn-row').first().waitFor();
      await settleSamples(scope);
      const before = await exportedSeqs(scope);
      expect(before.length).toBeGreaterThan(0);
      // Cancel changes nothing on the server.
      await page.getByTestId('new-session').click();
      await page.getByTestId('new-session-no').click();
      expect(await exportedSeqs(scope)).toEqual(before);

      // Confirmed: both pages show the empty state.
      await newSession(page);
      await page.getByTestId('new-session-done').filter({ hasText: /New session: \d+ events and 1 closed connection cleared\./ }).waitFor();
      for (const p of [page, other]) {
        await p.getByText('No connections yet.', { exact: false }).waitFor();
        await p.getByTestId('event-count').filter({ hasText: /^0$/ }).waitFor();
        await p.getByTestId('event-log').getByText('No events yet.').waitFor();
        expect(await p.getByTestId('conn-row').count()).toBe(0);
      }
      const exported = await exportedSeqs(scope);
      for (const seq of exported) expect(before).not.toContain(seq);

      // An open connection across a reset keeps working, and stays listed.
      const socket = await connectTcp(scope.tcpPort);
      cleanups.push(async () => socket.destroy());
      const replies: string[] = [];
      socket.on('data', (d) => replies.push(d.toString()));
      socket.write('before\n');
      const row = page.locator('[data-testid=conn-row][data-state=open]');
      await row.waitFor();
      const connId = Number(await row.getAttribute('data-conn-id'));
      await page.locator(`[data-testid=event-row][data-kind=read][data-conn-id="${connId}"][data-length="7"]`).waitFor();
      // Its socket samples are in before the reset (a first one, and one per change): a sample landing after
      // it is a new event, rightly shown, and the log would not be empty.
      await settleSamples(scope);
      const beforeSecond = await exportedSeqs(scope);

      await newSession(page);
      await page.getByTestId('new-session-done').filter({ hasText: '1 open connection kept' }).waitFor();
      for (const p of [page, other]) {
        await p.getByTestId('event-log').getByText('No events yet.').waitFor();
        await p.locator(`[data-testid=conn-row][data-conn-id="${connId}"][data-state=open]`).waitFor();
        expect(await p.getByTestId('conn-row').count()).toBe(1);
      }

      socket.write('after\n');
      await page.locator(`[data-testid=event-row][data-kind=read][data-conn-id="${connId}"][data-length="6"]`).waitFor();
      await other.locator(`[data-testid=event-row][data-kind=read][data-conn-id="${connId}"][data-length="6"]`).waitFor();
      // The old read is not back in either view.
      expect(await page.locator('[data-testid=event-row][data-kind=read][data-length="7"]').count()).toBe(0);
      const after = await exportedSeqs(scope);
      expect(after.length).toBeGreaterThan(0);
      for (const seq of after) expect(beforeSecond).not.toContain(seq);
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      // Its start went with the old session, and its wire view says so rather than drawing it as new.
      await page.getByRole('button', { name: 'Wire', exact: true }).click();
      await page
        .locator(`[data-testid=wire-gone][data-conn-id="${connId}"]`)
        .filter({ hasText: `The start of #${connId} is not held here` })
        .filter({ hasText: '2 reads (13 B)' })
        .waitFor();
      // Both lines got their reply: the connection never noticed.
      await expect.poll(() => replies.join(''), { timeout: 10_000 }).toBe('Received: 7Received: 6');
    });
  }
});
