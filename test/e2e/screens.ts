import type { Page } from 'playwright-core';

// The screens every browser test of the page's layout and controls runs at: two laptops, a desktop, a phone.
export const SCREENS = [
  { width: 1366, height: 768 },
  { width: 1280, height: 720 },
  { width: 1400, height: 900 },
  { width: 390, height: 844 },
] as const;

/** How far the page, or its scrolling frame, reaches beyond the viewport's width: 0 when nothing pans sideways. */
export function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const app = document.querySelector('.app')!;
    return Math.max(document.documentElement.scrollWidth - window.innerWidth, app.scrollWidth - app.clientWidth);
  });
}
