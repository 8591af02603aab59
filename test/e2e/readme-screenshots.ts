// Makes the README's pictures from the current page: `npx vite build && npx tsx test/e2e/readme-screenshots.ts`.
// A real tcpscope on free ports with tcpdump (run as root, or with tcpdump's capabilities), the built page
// in Debian's Chromium, the tutorial's burst: docs/screenshot.png (the Reads view) and docs/wire-view.png
// (the wire view at buffer 7). Every step waits for what the picture must show. Not a test: it writes files.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startTcpscope } from '../../server/app.ts';
import { launchChromium } from './browser.ts';

const DOCS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs');

async function sendBurst(page: Page): Promise<number> {
  const before = await page.getByTestId('conn-row').count();
  await page.getByRole('button', { name: 'Send burst' }).click();
  await page.getByTestId('conn-row').nth(before).waitFor();
  const id = Number(await page.getByTestId('conn-row').first().getAttribute('data-conn-id'));
  await page.locator(`[data-testid=conn-row][data-conn-id="${id}"][data-state=closed]`).waitFor();
  return id;
}

const scope = await startTcpscope({ httpPort: 0, tcpPort: 0, capture: true });
const browser = await launchChromium();
try {
  if (!(await scope.capture.whenListening())) throw new Error('tcpdump does not capture here: the wire view would be empty');
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.setDefaultTimeout(20_000);
  await page.goto(`${scope.httpUrl}/`);
  await page.getByTestId('live-status').filter({ hasText: /^live$/ }).waitFor();

  // The Reads view: three writes, one read of 21, its detail open in the log.
  await sendBurst(page);
  await page.getByTestId('ribbon-summary').filter({ hasText: '3 writes → 1 read' }).waitFor();
  await page.locator('[data-testid=event-row][data-kind=read][data-length="21"]').click();
  await page.locator('[data-testid=event-row][data-kind=read][aria-selected=true]').waitFor();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(DOCS, 'screenshot.png') });

  // The wire view at buffer 7: one 21-byte segment read as three reads of 7, the packet list beside the ladder.
  await page.getByRole('button', { name: '7', exact: true }).click();
  await page.getByRole('button', { name: '7', exact: true, pressed: true }).waitFor();
  const id = await sendBurst(page);
  await page.getByRole('button', { name: 'Wire', exact: true }).click();
  const ladder = page.locator(`[data-testid=wire-ladder][data-conn-id="${id}"][data-reads="3"]`);
  await ladder.waitFor();
  await ladder.locator('[data-testid=ladder-segment][data-flags="FIN, ACK"][data-dir=s2c]').waitFor();
  await ladder.locator('[data-testid=ladder-segment][data-dir=c2s][data-len="21"]').click();
  await page.getByTestId('payload-math').waitFor();
  await page.setViewportSize({ width: 1440, height: 1100 });
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(DOCS, 'wire-view.png') });
  console.log(`wrote ${path.join(DOCS, 'screenshot.png')} and ${path.join(DOCS, 'wire-view.png')}`);
} finally {
  await browser.close();
  await scope.close();
}
