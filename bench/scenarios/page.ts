// The page under full-rate traffic, as a user has it: tcpscope as `npm start` runs it (reply ack, capture
// on where it can), the built page open in Debian's Chromium at 1366×768, one connection streaming as
// fast as the echo server reads for a few seconds. Measured: the page's long tasks (PerformanceObserver
// 'longtask', registered before the page's own code) from the stream's start until a second after its
// end, and the chart's points, sampled through the stream. The budget: no long task over 100 ms,
// at most 2,000 chart points. Without Chromium the scenario says so and measures nothing.
import { existsSync } from 'node:fs';
import { CHART_MAX_POINTS } from '../../web/views/chart-data.ts';
import { CHROMIUM_PATH, launchChromium } from '../../test/e2e/chromium.ts';
import { type BenchContext, sleep } from '../context.ts';
import { stream } from '../loadgen/loadgen-runner.ts';
import { startTcpscopeProcess } from '../servers.ts';

export interface PageResults {
  /** Null when measured; otherwise why not (no Chromium). */
  skipped: string | null;
  viewport: { width: number; height: number };
  seconds: number;
  bytesSent: number;
  /** tcpscope's count of bytes read equals what was sent. */
  exact: boolean;
  longTasks: number;
  longTasksOver100Ms: number;
  longestTaskMs: number;
  chartPointsMax: number;
  chartPointsLimit: number;
  /** Uncaught errors the page threw. */
  pageErrors: string[];
}

declare global {
  interface Window {
    __longTasks?: [number, number][];
  }
}

export async function runPage(ctx: BenchContext): Promise<PageResults> {
  const { seconds, width, height } = ctx.plan.page;
  const base: PageResults = {
    skipped: null,
    viewport: { width, height },
    seconds,
    bytesSent: 0,
    exact: false,
    longTasks: 0,
    longTasksOver100Ms: 0,
    longestTaskMs: 0,
    chartPointsMax: 0,
    chartPointsLimit: CHART_MAX_POINTS,
    pageErrors: [],
  };
  if (!existsSync(CHROMIUM_PATH)) {
    ctx.progress.tick();
    return { ...base, skipped: `Chromium is not installed (${CHROMIUM_PATH}): apt-get install -y chromium` };
  }
  ctx.progress.step('page', `the page at ${width}×${height} while one connection streams for ${seconds} s`);
  const server = await startTcpscopeProcess({ bufferSize: 1024, reply: 'ack' });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width, height } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.addInitScript(() => {
      const tasks: [number, number][] = [];
      window.__longTasks = tasks;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) tasks.push([entry.startTime, entry.duration]);
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(`${server.httpUrl}/`);
    await page.getByTestId('live-status').filter({ hasText: /^live$/ }).waitFor();
    await sleep(1000); // the page settled: its first render's tasks are not the stream's
    const from = await page.evaluate(() => performance.now());

    let streaming = true;
    let chartPointsMax = 0;
    const sampling = (async () => {
      while (streaming) {
        const n = Number(await page.getByTestId('reads-chart').getAttribute('data-points').catch(() => '0'));
        if (Number.isFinite(n)) chartPointsMax = Math.max(chartPointsMax, n);
        await sleep(250);
      }
    })();
    const r = await stream(ctx.lg, { port: server.tcpPort, conns: 1, bytesPerConn: 2 ** 40, reply: 'ack', maxSeconds: seconds });
    await sleep(1000);
    streaming = false;
    await sampling;
    const totals = await server.totalRead();
    const tasks = (await page.evaluate(() => window.__longTasks ?? [])).filter(([start]) => start >= from).map(([, d]) => d);
    ctx.progress.tick();
    return {
      ...base,
      bytesSent: r.bytesSent,
      exact: totals.bytesRead === r.bytesSent,
      longTasks: tasks.length,
      longTasksOver100Ms: tasks.filter((d) => d > 100).length,
      longestTaskMs: tasks.reduce((a, b) => Math.max(a, b), 0),
      chartPointsMax,
      pageErrors,
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}
