// A window over a list whose rows all have one height: which rows are on screen follows from the scroll
// position alone, so a view costs the rows on screen, not the rows held. The general-purpose virtualizer
// rebuilt a measurement for every row held (20,000 in the log) each time one arrived, and under a full
// stream that was the page's largest single cost.
import { type RefObject, useLayoutEffect, useState } from 'react';

export interface FixedRow {
  index: number;
  /** Its offset from the top of the list, in px. */
  start: number;
}

export interface FixedRows {
  items: FixedRow[];
  totalSize: number;
  /** Scrolls just enough for row `index` to be wholly visible. */
  scrollToIndex(index: number): void;
}

/** The rows `[first, last]` that cover the visible part of a list of `count` rows scrolled to `top`, with `overscan` more on each side. */
export function visibleRange(count: number, rowHeight: number, top: number, height: number, overscan: number): [number, number] {
  if (count === 0) return [0, -1];
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.min(count - 1, Math.ceil((top + height) / rowHeight) + overscan);
  return [Math.min(first, last), last];
}

export function useFixedRows(scroller: RefObject<HTMLElement | null>, count: number, rowHeight: number, overscan: number): FixedRows {
  const [view, setView] = useState({ top: 0, height: 0 });
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const update = () => setView((v) => (v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight }));
    update();
    el.addEventListener('scroll', update, { passive: true });
    const resize = new ResizeObserver(update);
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      resize.disconnect();
    };
  }, [scroller]);
  const [first, last] = visibleRange(count, rowHeight, view.top, view.height, overscan);
  const items: FixedRow[] = [];
  for (let i = first; i <= last; i++) items.push({ index: i, start: i * rowHeight });
  return {
    items,
    totalSize: count * rowHeight,
    scrollToIndex(index) {
      const el = scroller.current;
      if (!el) return;
      const top = index * rowHeight;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
    },
  };
}
