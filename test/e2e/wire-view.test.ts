// The wire view in a real Chromium against a real tcpscope with a real tcpdump: every step waits for
// something to appear on the page or on the server, never for time.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Config } from '../../shared/config.ts';
import { startTcpscope, type Tcpscope } from '../../server/app.ts';
import { connectTcp, connectUnreading, corkedWrites } from '../helpers.ts';
import { useBrowser } from './browser.ts';

const e2e = useBrowser();
const cleanups = e2e.cleanups;

async function startScope(): Promise<Tcpscope> {
  const scope = await startTcpscope({ httpPort: 0, tcpPort: 0, capture: true });
  cleanups.push(() => scope.close());
  return scope;
}

async function openWireView(scope: Tcpscope): Promise<Page> {
  const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  // A step that never comes fails with its locator named, before the test's own timeout.
  page.setDefaultTimeout(15_000);
  cleanups.push(() => page.close());
  e2e.failOnPageErrors(page);
  await page.goto(`${scope.httpUrl}/`);
  await page.getByTestId('live-status').filter({ hasText: /^live$/ }).waitFor();
  await page.getByRole('button', { name: 'Wire', exact: true }).click();
  await page.getByRole('button', { name: 'Wire', exact: true, pressed: true }).waitFor();
  return page;
}

/** Sends a burst through the page; resolves with the new connection's id, read from the connection list. */
async function sendBurst(page: Page): Promise<number> {
  const before = await page.getByTestId('conn-row').count();
  await page.getByRole('button', { name: 'Send burst' }).click();
  await page.getByTestId('conn-row').nth(before).waitFor();
  return Number(await page.getByTestId('conn-row').first().getAttribute('data-conn-id'));
}

async function getConfig(scope: Tcpscope): Promise<Config> {
  return (await fetch(`${scope.httpUrl}/api/config`)).json() as Promise<Config>;
}

const ladder = (page: Page, connId: number) => page.locator(`[data-testid=wire-ladder][data-conn-id="${connId}"]`);
const segment = (page: Page, connId: number, sel: string) => ladder(page, connId).locator(`[data-testid=ladder-segment]${sel}`);

describe('wire view', () => {
  it('draws a burst as handshake, one data segment and its reads, and takes the segment apart on click', async () => {
    const scope = await startScope();
    expect(await scope.capture.whenListening()).toBe(true);
    const page = await openWireView(scope);
    await page.locator('[data-testid=capture-status][data-active=true]').waitFor();

    // Buffer 1024: three writes → one 21-byte segment → one read of 21.
    const first = await sendBurst(page);
    await segment(page, first, '[data-flags="SYN"][data-dir=c2s]').waitFor();
    await segment(page, first, '[data-flags="SYN, ACK"][data-dir=s2c]').waitFor();
    await segment(page, first, '[data-dir=c2s][data-len="21"]').waitFor();
    await ladder(page, first).locator('[data-testid=ladder-read][data-length="21"]').waitFor();
    await page.getByTestId('wire-summary').filter({ hasText: '3 writes → 1 data segment → 1 read' }).waitFor();
    expect(await ladder(page, first).locator('[data-testid=ladder-write]').count()).toBe(3);

    await segment(page, first, '[data-dir=c2s][data-len="21"]').click();
    await page.getByTestId('payload-math').filter({ hasText: /IP total length \d+ − IP header 20 − TCP header \d+ = 21 bytes payload/ }).waitFor();
    await page.getByTestId('packet-detail').filter({ hasText: 'PSH, ACK' }).waitFor();
    expect(await page.getByTestId('payload-span').count()).toBe(1);

    // The captured frames as a file.
    const download = page.waitForEvent('download');
    await page.getByTestId('pcap-download').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`tcpscope-conn-${first}.pcap`);
    const bytes = readFileSync((await file.path())!);
    expect(bytes.readUInt32LE(0)).toBe(0xa1b2c3d4); // the classic pcap magic

    // Buffer 7: one segment → three reads of 7, each coloured in the payload.
    await page.getByRole('button', { name: '7', exact: true }).click();
    await page.getByRole('button', { name: '7', exact: true, pressed: true }).waitFor();
    const second = await sendBurst(page);
    await segment(page, second, '[data-dir=c2s][data-len="21"]').waitFor();
    await page.locator(`[data-testid=wire-ladder][data-conn-id="${second}"][data-reads="3"]`).waitFor();
    await page.getByTestId('wire-summary').filter({ hasText: '3 writes → 1 data segment → 3 reads' }).waitFor();
    await segment(page, second, '[data-dir=c2s][data-len="21"]').click();
    await page.getByTestId('payload-math').filter({ hasText: '= 21 bytes payload' }).waitFor();
    await page.getByTestId('payload-span').nth(2).waitFor();
    expect(await page.getByTestId('payload-span').allTextContents()).toEqual([
      'r1: payload bytes 0–6 (7 B)',
      'r2: payload bytes 7–13 (7 B)',
      'r3: payload bytes 14–20 (7 B)',
    ]);
    // The teardown is on the ladder too, and the kernel's view of both ends is charted.
    await segment(page, second, '[data-flags="FIN, ACK"]').first().waitFor();
    await page.locator('[data-testid=socket-chart]:not([data-samples="0"])').waitFor();

    await page.screenshot({ path: '/tmp/tcpscope-wire.png' });
  });

  it('shows the RST of a client that closes with replies unread in red', async () => {
    const scope = await startScope();
    expect(await scope.capture.whenListening()).toBe(true);
    const page = await openWireView(scope);
    const socket = await connectUnreading(scope.tcpPort);
    corkedWrites(socket, ['Hello1\n', 'Hello2\n', 'Hello3\n']);
    const row = page.getByTestId('conn-row').filter({ hasText: 'external' });
    await row.waitFor();
    const id = Number(await row.getAttribute('data-conn-id'));
    await ladder(page, id).locator('[data-testid=ladder-reply]').first().waitFor();
    socket.destroy();
    const rst = segment(page, id, '[data-flags="RST, ACK"][data-dir=c2s]').first();
    await rst.waitFor();
    expect(await rst.getAttribute('class')).toContain('seg-rst');
    expect(await rst.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(244, 112, 103)');
    await ladder(page, id).locator('[data-testid=ladder-close][data-reason=reset]').waitFor();
    await page.locator('[data-testid=health-resets][data-count="1"]').waitFor();
  });

  it('pauses reading from the switch: the server’s Recv-Q fills on the chart, and resuming reads it all', async () => {
    const scope = await startScope();
    expect(await scope.capture.whenListening()).toBe(true);
    const page = await openWireView(scope);
    await page.getByRole('switch', { name: 'Stop reading' }).click();
    await page.getByRole('switch', { name: 'Stop reading', checked: true }).waitFor();
    expect((await getConfig(scope)).paused).toBe(true);

    const socket = await connectTcp(scope.tcpPort);
    cleanups.push(async () => socket.destroy());
    const row = page.getByTestId('conn-row').filter({ hasText: 'external' });
    await row.waitFor();
    const id = Number(await row.getAttribute('data-conn-id'));
    socket.write(Buffer.alloc(5000, 0x61));
    await segment(page, id, '[data-dir=c2s][data-len="5000"]').waitFor();
    // ss sees the 5000 bytes wait in the server's receive queue; nothing is read.
    await page.locator('[data-testid=socket-chart][data-max-queue="5000"]').waitFor();
    // At least two looks, so the chart draws lines rather than a table of one sample.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=socket-chart]')?.getAttribute('data-points')) >= 2);
    await page.locator('[data-testid=socket-chart] .recharts-line-curve').first().waitFor({ state: 'attached' });
    expect(await ladder(page, id).getAttribute('data-reads')).toBe('0');
    await page.screenshot({ path: '/tmp/tcpscope-wire-paused.png' });

    await page.getByRole('switch', { name: 'Stop reading' }).click();
    await page.getByRole('switch', { name: 'Stop reading', checked: false }).waitFor();
    expect((await getConfig(scope)).paused).toBe(false);
    await page.locator(`[data-testid=wire-ladder][data-conn-id="${id}"][data-bytes-read="5000"]`).waitFor();
  });

  it('says why capture is off, and the command that turns it on', async () => {
    const scope = await startTcpscope({
      httpPort: 0,
      tcpPort: 0,
      captureCommand: ['sh', '-c', 'echo "tcpdump: lo: You don\'t have permission to capture on that device (socket: Operation not permitted)" >&2; exit 1'],
    });
    cleanups.push(() => scope.close());
    expect(await scope.capture.whenListening()).toBe(false);
    const page = await openWireView(scope);
    const status = page.locator('[data-testid=capture-status][data-active=false]');
    await status.filter({ hasText: 'lacks the privilege to capture' }).waitFor();
    expect(await status.locator('code').textContent()).toBe('setcap cap_net_raw,cap_net_admin=eip $(command -v tcpdump)');
    // Reads still show; the ladder draws them without segments.
    const id = await sendBurst(page);
    await ladder(page, id).locator('[data-testid=ladder-read][data-length="21"]').waitFor();
    expect(await page.getByRole('button', { name: 'Download pcap' }).isDisabled()).toBe(true);
  });
});
