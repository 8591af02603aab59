// "Watch a server" in the built page, in Debian's headless Chromium (issue 9, items 4 and 5): a real Go
// server written as the tutorial's (buffer 1024, `Received: N`) is watched through the page's control,
// shows `attached` with its pid and command, gets the tutorial's burst through the burst form's target
// selector, and its connection shows with its badge, one read of 21 of 1024 requested and the reply of 12.
// The controls say they act on tcpscope's own echo server; removing the watch leaves the server serving.
// At a laptop's and a phone's size, without the page panning sideways.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { once } from 'node:events';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { useBrowser } from './browser.ts';
import { sidewaysOverflow } from './screens.ts';
import { startTcpscope, type Tcpscope } from '../../server/app.ts';
import type { Watch } from '../../shared/watch.ts';
import { startServer, type ServerProcess } from '../watch/watch-helpers.ts';

const e2e = useBrowser();
const cleanups = e2e.cleanups;
const here = path.dirname(new URL(import.meta.url).pathname);

let goServer: string | null = null;
let noGo: string | null = null;
beforeAll(() => {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
  } catch {
    noGo = 'go is not installed (apt-get install -y golang-go): the Node server stands in for the Go one';
    return;
  }
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'tcpscope-go-')), 'server');
  execFileSync('go', ['build', '-o', out, 'main.go'], {
    cwd: path.join(here, '../watch/servers/go'),
    env: { ...process.env, GO111MODULE: 'off', GOCACHE: path.join(os.tmpdir(), 'tcpscope-gocache') },
  });
  goServer = out;
}, 180_000);

async function tutorialServer(): Promise<ServerProcess> {
  if (noGo !== null) console.warn(noGo);
  const argv = goServer !== null ? [goServer, '0', '1024'] : ['node', path.join(here, '../watch/servers/node/net-server.mjs'), '0', '1024'];
  const srv = await startServer(argv);
  cleanups.push(() => srv.kill());
  return srv;
}

async function open(viewport: { width: number; height: number }): Promise<{ scope: Tcpscope; page: Page }> {
  // strace attaches in well under a second; the page works the same with either mechanism.
  const scope = await startTcpscope({ httpPort: 0, tcpPort: 0, capture: false, watchMechanisms: ['strace'] });
  cleanups.push(() => scope.close());
  // A context of our own: axe injects itself into every frame of it.
  const context = await e2e.browser.newContext({ viewport });
  cleanups.push(() => context.close());
  const page = await context.newPage();
  e2e.failOnPageErrors(page);
  page.setDefaultTimeout(20_000);
  await page.goto(`${scope.httpUrl}/`);
  await page.getByTestId('live-status').filter({ hasText: /^live$/ }).waitFor();
  return { scope, page };
}

/** The tutorial's exchange straight to the server, to show it still serves. */
async function stillServes(port: number): Promise<string> {
  const socket = net.connect({ port, host: '127.0.0.1' });
  await once(socket, 'connect');
  socket.write('Hello1\n');
  const [data] = (await once(socket, 'data')) as [Buffer];
  socket.destroy();
  return data.toString();
}

describe('the watch panel', () => {
  for (const screen of [
    { width: 1366, height: 768 },
    { width: 390, height: 844 },
  ]) {
    const at = `${screen.width}×${screen.height}`;
    it(`watches the tutorial's server, bursts to it, shows read 21 of 1024 requested, and lets it go at ${at}`, async () => {
      const srv = await tutorialServer();
      const { scope, page } = await open(screen);

      // Watch it through the page's control.
      const panel = page.getByRole('region', { name: 'Watch a server' });
      await panel.getByTestId('watch-port').fill(String(srv.port));
      await panel.getByRole('button', { name: 'Watch', exact: true }).click();
      const row = panel.getByTestId('watch-row').filter({ hasText: `:${srv.port}` });
      await row.and(page.locator('[data-state=attached]')).waitFor();
      await row.filter({ hasText: `pid ${srv.pid}` }).waitFor();
      const command = (await scope.watches.get(srv.port))!.command!;
      expect(command.length).toBeGreaterThan(0);
      expect(await row.textContent()).toContain(command.length > 60 ? command.slice(0, 59) : command);
      expect(await row.textContent()).toContain('strace');

      // The burst form's target selector sends the tutorial's burst (three corked writes) to it.
      await panel.getByTestId('burst-target').selectOption(String(srv.port));
      await page.getByRole('button', { name: 'Send burst' }).click();

      // Its connection, with the watched badge; one read of 21 of 1024 requested; one reply of 12.
      const badge = page.getByTestId('watched-badge').filter({ hasText: `watched :${srv.port}` }).first();
      await badge.waitFor();
      const read = page.locator(`[data-testid=event-row][data-kind=read][data-length="21"][data-requested="1024"]`);
      await read.waitFor();
      expect(await read.count()).toBe(1);
      expect(await read.locator('.c-len').textContent()).toBe('21/1024');
      const connId = await read.getAttribute('data-conn-id');
      await page.locator(`[data-testid=event-row][data-kind=reply][data-length="12"][data-conn-id="${connId}"]`).waitFor();
      expect(await page.locator(`[data-testid=event-row][data-kind=read][data-conn-id="${connId}"]`).count()).toBe(1);
      const conn = (await (await fetch(`${scope.httpUrl}/api/connections`)).json()) as { id: number; origin: string; reads: number; bytesRead: number }[];
      expect(conn.find((c) => c.id === Number(connId))).toMatchObject({ origin: 'watched', reads: 1, bytesRead: 21 });

      // Selected, the chart says what the read asked for, and the commands say whose they are.
      await badge.click();
      await page.getByTestId('chart-requested').filter({ hasText: 'last read 21 of 1024 requested' }).waitFor();
      const note = page.getByTestId('echo-only-note');
      await note.waitFor();
      expect(await note.textContent()).toMatch(new RegExp(`#${connId} is on the watched server :${srv.port}.*act on tcpscope's own echo server only`));
      await read.scrollIntoViewIfNeeded();
      await read.click();
      await page.getByTestId('detail-requested').filter({ hasText: 'read 21 of 1024 requested' }).waitFor();
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      // The watch panel, the badge, the note and the detail keep the page's contrast and names.
      const axe = await new AxeBuilder({ page }).analyze();
      expect(axe.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`)).toEqual([]);

      // Removed: the page lists no watch, tracing stops, and the server goes on serving.
      await panel.getByRole('button', { name: `Stop watching ${srv.port}` }).click();
      await panel.getByTestId('watch-row').first().waitFor({ state: 'detached' });
      expect((await (await fetch(`${scope.httpUrl}/api/watches`)).json()) as Watch[]).toEqual([]);
      expect(await panel.getByTestId('burst-target').inputValue()).toBe('');
      expect(srv.child.exitCode).toBeNull();
      expect(await stillServes(srv.port)).toBe('Received: 7');
    }, 240_000);
  }
});
