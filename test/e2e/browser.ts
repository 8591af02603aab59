// Chromium for the browser tests: the one binary and the flags that keep it quiet, offline and headless,
// and the per-file harness every browser test shares (one browser per file, cleanups after each test).
import type http from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { launchChromium } from './chromium.ts';

export { CHROMIUM_ARGS, launchChromium } from './chromium.ts';

export interface BrowserHarness {
  /** The file's browser, launched before its first test. */
  readonly browser: Browser;
  /** Run after the current test, newest first: close pages, stop servers, check what was collected. */
  readonly cleanups: Array<() => Promise<unknown>>;
  /** Fails the current test, at its end, if the page threw an uncaught error. */
  failOnPageErrors(page: Page): void;
}

/** Registers the hooks of a browser test file: one Chromium for the file, cleanups after each test. */
export function useBrowser(extraArgs: string[] = []): BrowserHarness {
  let browser: Browser | undefined;
  const cleanups: Array<() => Promise<unknown>> = [];
  beforeAll(async () => {
    browser = await launchChromium(extraArgs);
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    // This test's cleanups only: if one of them outlives the hook's timeout, it must not go on to pop
    // (and close) what the next test registers.
    const mine = cleanups.splice(0);
    while (mine.length > 0) await mine.pop()!();
  });
  return {
    get browser() {
      if (!browser) throw new Error('the browser starts in beforeAll');
      return browser;
    },
    cleanups,
    failOnPageErrors(page) {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      cleanups.push(async () => expect(errors).toEqual([]));
    },
  };
}

/**
 * Stops a helper web server that Chromium has visited. close() waits for every connection to end, and Chromium
 * keeps a used one alive for minutes: a request that lands after close() began (the favicon, say) would hold
 * a cleanup past the hook's timeout. So its connections are closed too.
 */
export function closeVisitedServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
