// A connection whose events left the store (issue 11, item 4): once the server's store has wrapped, a page
// that selects the older connection sees, in the wire view, that its segments and events are gone, with its
// exact counters, never "Nothing on the wire … yet". A real tcpscope with a small store and tcpdump running.
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../shared/connections.ts';
import { startTcpscope, type Tcpscope } from '../../server/app.ts';
import { nextEvent } from '../helpers.ts';
import { useBrowser } from './browser.ts';

const e2e = useBrowser();
const cleanups = e2e.cleanups;
/** Small enough that one burst of 400 writes pushes the first connection out. */
const STORE = 300;

async function burst(scope: Tcpscope, count: number): Promise<Connection> {
  const res = await fetch(`${scope.httpUrl}/api/bursts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count }) });
  const { connId } = (await res.json()) as { connId: number };
  await nextEvent(scope, (e) => e.kind === 'close' && e.connId === connId, `the close of burst #${connId}`);
  const all = (await (await fetch(`${scope.httpUrl}/api/connections`)).json()) as Connection[];
  return all.find((c) => c.id === connId)!;
}

describe('evicted connections in the wire view', () => {
  for (const screen of [
    { width: 1366, height: 768 },
    { width: 390, height: 844 },
  ]) {
    it(`says an older connection's segments left the store, with its counters, at ${screen.width}×${screen.height}`, { timeout: 90_000 }, async () => {
      const scope = await startTcpscope({ httpPort: 0, tcpPort: 0, capture: true, eventStoreCapacity: STORE });
      cleanups.push(() => scope.close());
      expect(await scope.capture.whenListening()).toBe(true);

      const old = await burst(scope, 3);
      expect(old).toMatchObject({ writes: 3, bytesWritten: 21, reads: 1, bytesRead: 21, replies: 1, bytesReplied: 12 });
      // The capture hands its segments over on a thread of its own, after the connection's own events: a
      // later connection's first segment is the sign that every one of the first connection's is in
      // (tcpdump delivers in capture order), so the big burst's events come after them all.
      const later = nextEvent(scope, (e) => e.kind === 'segment' && e.connId > old.id, 'a segment of a later connection');
      await burst(scope, 1);
      await later;
      await burst(scope, 400);
      // The store has wrapped past every event of the first connection (but, maybe, its last socket sample:
      // ss looks once more after a close, whenever its next look comes).
      const held = (await (await fetch(`${scope.httpUrl}/api/events?connId=${old.id}&limit=10`)).json()) as Array<{ kind: string }>;
      expect(held.filter((e) => e.kind !== 'sample')).toEqual([]);

      const page = await e2e.browser.newPage({ viewport: screen });
      cleanups.push(() => page.close());
      e2e.failOnPageErrors(page);
      page.setDefaultTimeout(15_000);
      await page.goto(`${scope.httpUrl}/`);
      await page.getByTestId('live-status').filter({ hasText: /^live$/ }).waitFor();
      await page.getByRole('button', { name: 'Wire', exact: true }).click();
      const row = page.locator(`[data-testid=conn-row][data-conn-id="${old.id}"]`);
      await row.scrollIntoViewIfNeeded();
      await row.click();

      const gone = page.locator(`[data-testid=wire-gone][data-conn-id="${old.id}"]`);
      await gone.waitFor();
      expect(await gone.textContent()).toBe(
        `The segments and events of #${old.id} are not held here: a page gets the latest 2,000 events when it opens and all ` +
          'that follow, and the server’s store keeps the latest 20,000 (New session empties it). ' +
          'Its counters are exact: 3 writes (21 B), 1 read (21 B), 1 reply (12 B).',
      );
      await page.getByTestId('packets-gone').filter({ hasText: `#${old.id} are not held here` }).waitFor();
      expect(await page.getByText('Nothing on the wire', { exact: false }).count()).toBe(0);
      expect(await page.getByText('No segments captured on this connection yet', { exact: false }).count()).toBe(0);

      // The big burst outgrew the store too: what is left of it is drawn, under a note that its start is gone.
      const newest = page.getByTestId('conn-row').first();
      const newestId = Number(await newest.getAttribute('data-conn-id'));
      await newest.scrollIntoViewIfNeeded();
      await newest.click();
      await page.locator(`[data-testid=wire-ladder][data-conn-id="${newestId}"] [data-testid=ladder-segment]`).first().waitFor();
      await page
        .locator(`[data-testid=wire-gone][data-conn-id="${newestId}"]`)
        .filter({ hasText: `The start of #${newestId} is not held here` })
        .filter({ hasText: 'Its counters are exact: 400 writes' })
        .waitFor();
    });
  }
});
