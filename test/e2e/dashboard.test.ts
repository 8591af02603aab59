// The dashboard in a real Chromium against a real tcpscope: every step waits for something to
// appear on the page or on the server, never for time.
import net from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowser } from './browser.ts';
import type { Config } from '../../shared/config.ts';
import { startTcpscope, type Tcpscope } from '../../server/app.ts';

const e2e = useBrowser();
const cleanups = e2e.cleanups;

async function startScope(httpPort = 0): Promise<Tcpscope> {
  const scope = await startTcpscope({ httpPort, tcpPort: 0 });
  cleanups.push(() => scope.close());
  return scope;
}

/** Opens the dashboard and waits until its socket delivered the first snapshot. */
async function openDashboard(scope: Tcpscope): Promise<Page> {
  const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 } });
  cleanups.push(() => page.close());
  e2e.failOnPageErrors(page);
  await page.goto(`${scope.httpUrl}/`);
  await liveStatus(page, 'live');
  return page;
}

function liveStatus(page: Page, text: 'live' | 'disconnected') {
  return page.getByTestId('live-status').filter({ hasText: new RegExp(`^${text}$`) }).waitFor();
}

function readRows(page: Page, length: number, connId?: number) {
  const conn = connId === undefined ? '' : `[data-conn-id="${connId}"]`;
  return page.locator(`[data-testid=event-row][data-kind=read][data-length="${length}"]${conn}`);
}

async function getConfig(scope: Tcpscope): Promise<Config> {
  return (await fetch(`${scope.httpUrl}/api/config`)).json() as Promise<Config>;
}

/** Sends a burst through the page and returns the new connection's id, read from the connection list. */
async function sendBurst(page: Page): Promise<number> {
  const before = await page.getByTestId('conn-row').count();
  await page.getByRole('button', { name: 'Send burst' }).click();
  await page.getByTestId('conn-row').nth(before).waitFor();
  return Number(await page.getByTestId('conn-row').first().getAttribute('data-conn-id'));
}

describe('dashboard', () => {
  it('shows a burst as one 21-byte read, then as 7-byte reads once the read buffer is 7', async () => {
    const scope = await startScope();
    const page = await openDashboard(scope);

    // Buffer 1024: three corked 7-byte writes arrive as one read of 21.
    const first = await sendBurst(page);
    await readRows(page, 21, first).first().waitFor();
    await page.locator(`[data-testid=reads-chart][data-conn-id="${first}"][data-max-read="21"]`).waitFor();
    await page.locator('[data-testid=reads-chart] .recharts-bar-rectangle').first().waitFor();
    await page.getByTestId('ribbon-summary').filter({ hasText: '3 writes → 1 read' }).waitFor();
    expect(await page.locator(`[data-testid=event-row][data-kind=write][data-conn-id="${first}"]`).count()).toBe(3);

    // The "Read buffer" control changes the server's config.
    const input = page.getByLabel('Read buffer');
    await input.fill('7');
    await input.press('Enter');
    await page.getByTestId('config-summary').filter({ hasText: 'buffer 7 B' }).waitFor();
    expect((await getConfig(scope)).bufferSize).toBe(7);

    // Buffer 7: the same burst is read 7 bytes at a time.
    const second = await sendBurst(page);
    await page.locator(`[data-testid=reads-chart][data-conn-id="${second}"][data-reads="3"][data-max-read="7"]`).waitFor();
    expect(await readRows(page, 7, second).count()).toBe(3);
    await page.getByTestId('ribbon-summary').filter({ hasText: '3 writes → 3 reads' }).waitFor();

    // Back to the first connection: the chart follows the clicked row.
    await page.locator(`[data-testid=conn-row][data-conn-id="${first}"]`).click();
    await page.locator(`[data-testid=reads-chart][data-conn-id="${first}"][data-max-read="21"]`).waitFor();
    await page.locator(`[data-testid=conn-row][data-conn-id="${second}"]`).click();
    await page.locator('[data-testid=ribbon-read]').first().hover();
    await page.getByTestId('ribbon-tip').filter({ hasText: 'Hello1\\n' }).waitFor();

    await page.screenshot({ path: '/tmp/tcpscope-dashboard.png' });
  });

  it('presets apply at once and a bad value is refused in the page, saying what is allowed', async () => {
    const scope = await startScope();
    const page = await openDashboard(scope);

    await page.getByRole('button', { name: '7', exact: true }).click();
    await page.getByRole('button', { name: '7', exact: true, pressed: true }).waitFor();
    expect((await getConfig(scope)).bufferSize).toBe(7);

    await page.getByRole('button', { name: 'echo', exact: true }).click();
    await page.getByTestId('config-summary').filter({ hasText: 'reply echo' }).waitFor();
    expect((await getConfig(scope)).replyMode).toBe('echo');

    const input = page.getByLabel('Read buffer');
    await input.fill('0');
    await input.press('Enter');
    await page.getByTestId('buffer-invalid').filter({ hasText: '1–65536 B' }).waitFor();
    expect((await getConfig(scope)).bufferSize).toBe(7);
  });

  it('lists an outside client the moment it connects and shows its reads', async () => {
    const scope = await startScope();
    const page = await openDashboard(scope);

    const socket = net.connect({ port: scope.tcpPort, host: '127.0.0.1' });
    cleanups.push(async () => socket.destroy());
    await once(socket, 'connect');
    const row = page.getByTestId('conn-row').filter({ hasText: 'external' });
    await row.waitFor();
    expect(await row.getAttribute('data-state')).toBe('open');

    socket.write('hi from nc\n');
    await readRows(page, 11).first().waitFor();
    await page.getByTestId('ribbon-summary').filter({ hasText: /^1 read \(writes of outside clients/ }).waitFor();
    expect(await page.locator('[data-testid=event-row][data-kind=read]').first().textContent()).toContain('hi from nc\\n');

    socket.end();
    await page.locator('[data-testid=conn-row][data-state=closed]').filter({ hasText: 'external' }).waitFor();
  });

  it('pauses the view while events keep counting, catches up on resume, and clears', async () => {
    const scope = await startScope();
    const page = await openDashboard(scope);
    await sendBurst(page);
    await readRows(page, 21).first().waitFor();

    await page.getByRole('button', { name: 'Freeze' }).click();
    const rowsBefore = await page.getByTestId('event-row').count();
    const accepted = await fetch(`${scope.httpUrl}/api/bursts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: 2, payload: 'paused{n}\n' }),
    });
    expect(accepted.status).toBe(202);
    // The events arrived (the button counts them) but the log did not move.
    await page.getByRole('button', { name: /^Resume \(\+\d+\)$/ }).waitFor();
    expect(await page.getByTestId('event-row').count()).toBe(rowsBefore);
    expect(await readRows(page, 16).count()).toBe(0);

    await page.getByRole('button', { name: /^Resume/ }).click();
    await readRows(page, 16).first().waitFor();

    await page.getByRole('button', { name: 'Clear' }).click();
    // The log empties; late kernel-state samples of the closed connections may arrive at once after it (so
    // an empty log is not something to wait for), but the reads are gone and never come back.
    await readRows(page, 16).first().waitFor({ state: 'detached' });
    expect(await readRows(page, 21).count()).toBe(0);
    expect(await readRows(page, 16).count()).toBe(0);
  });

  it('keeps the DOM small with thousands of events in the log', async () => {
    const scope = await startScope();
    const page = await openDashboard(scope);
    await page.getByRole('button', { name: '7', exact: true }).click();
    await page.getByRole('button', { name: '7', exact: true, pressed: true }).waitFor();
    await page.getByLabel('Count').fill('1000');
    await page.getByLabel('Payload').fill('x{n}\\n');
    // 1 ms apart, so that the live stream carries every event in detail instead of summarising them.
    await page.getByLabel('Interval (ms)').fill('1');
    const connId = await sendBurst(page);
    await page.locator(`[data-testid=conn-row][data-conn-id="${connId}"][data-state=closed]`).waitFor();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=log-count]')?.textContent?.replace(/,/g, '')) > 2000);
    const rendered = await page.getByTestId('event-row').count();
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(120);
    // Hundreds of reads held, drawn as at most 2,000 points (binned), with the binning said below the chart.
    const chart = page.getByTestId('reads-chart');
    expect(Number(await chart.getAttribute('data-reads'))).toBeGreaterThan(500);
    const points = Number(await chart.getAttribute('data-points'));
    expect(points).toBeGreaterThan(100);
    expect(points).toBeLessThanOrEqual(2000);
    await expect(page.getByTestId('chart-foot').textContent()).resolves.toContain('drawn as');
  });

  it('says when the server is gone and rebuilds its view from the new server’s snapshot', async () => {
    const first = await startTcpscope({ httpPort: 0, tcpPort: 0 });
    const port = Number(new URL(first.httpUrl).port);
    const page = await openDashboard(first);
    await sendBurst(page);
    await readRows(page, 21).first().waitFor();

    await first.close();
    await liveStatus(page, 'disconnected');

    const second = await startScope(port);
    await liveStatus(page, 'live');
    await page.getByTestId('event-log').filter({ hasText: 'No events yet' }).waitFor();
    expect(await page.getByTestId('conn-row').count()).toBe(0);
    await sendBurst(page);
    await readRows(page, 21).first().waitFor();
    expect(second.httpUrl).toBe(first.httpUrl);
  });
});
