// The idle collector: one full collection once the server is quiet after its heap grew, never during
// traffic; and V8's full collection, reached without --expose-gc, really frees what nothing points to.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startIdleCollector, v8FullGc } from './idle-collector.ts';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';

afterEach(() => {
  vi.useRealTimers();
});

describe('idle collector', () => {
  it('collects once per quiet spell after growth, and never while activity goes on', () => {
    vi.useFakeTimers();
    let activity = 0;
    let heap = 100;
    let collected = 0;
    const c = startIdleCollector({
      activity: () => activity,
      heapUsed: () => heap,
      collect: () => {
        collected++;
        heap = 100;
      },
      checkMs: 1000,
      minGrowthBytes: 50,
    });
    // Traffic: the heap grows, activity every check.
    for (let i = 0; i < 5; i++) {
      activity += 10;
      heap += 100;
      vi.advanceTimersByTime(1000);
    }
    expect(collected).toBe(0);
    // Quiet: one collection, then none while nothing grows.
    vi.advanceTimersByTime(1000);
    expect(collected).toBe(1);
    vi.advanceTimersByTime(10_000);
    expect(collected).toBe(1);
    // Quiet but a little growth (below the bar): none.
    heap += 10;
    vi.advanceTimersByTime(3000);
    expect(collected).toBe(1);
    // Another burst and quiet: one more.
    activity += 1;
    heap += 80;
    vi.advanceTimersByTime(1000);
    vi.advanceTimersByTime(1000);
    expect(collected).toBe(2);
    expect(c.collections).toBe(2);
    c.stop();
    activity += 1;
    heap += 1000;
    vi.advanceTimersByTime(5000);
    expect(collected).toBe(2);
  });

  it('frees garbage with V8 full collection', () => {
    // 16 MB of objects that nothing points to once this block ends.
    {
      let junk: object[] | null = Array.from({ length: 200_000 }, (_, i) => ({ i, s: `x${i}`.repeat(8) }));
      expect(junk.length).toBe(200_000);
      junk = null;
    }
    const before = getHeapStatistics().used_heap_size;
    v8FullGc();
    const after = getHeapStatistics().used_heap_size;
    expect(after).toBeLessThan(before - 8 * 1024 * 1024);
  });

  it('gives back the old-space pages a full collection emptied, moving the survivors together', () => {
    const oldSpace = () => getHeapSpaceStatistics().find((x) => x.space_name === 'old_space')!;
    // About 30 MB of objects promoted to old space, of which one in fifty stays: every page keeps a few.
    let all: { i: number; s: string; pair: number[] }[] | null = [];
    for (let i = 0; i < 200_000; i++) all.push({ i, s: `x${i}`, pair: [i, i] });
    v8FullGc();
    const kept = all.filter((_, i) => i % 50 === 0);
    all = null;
    const pagesBefore = oldSpace().physical_space_size;
    v8FullGc();
    const after = oldSpace();
    expect(kept.length).toBe(4000);
    // Without compaction the pages stay (30 MB of them for 4 MB in use); with it, little more than in use.
    expect(after.physical_space_size).toBeLessThan(after.space_used_size + 8 * 1024 * 1024);
    expect(after.physical_space_size).toBeLessThan(pagesBefore - 16 * 1024 * 1024);
  });
});
