// Gives memory back once a burst of traffic is over. V8 collects garbage when it allocates, so after a
// flood the garbage of its last seconds (tens of MB of heap, and the buffers only that heap still pointed
// to) stays resident for as long as the server sits idle: nothing allocates to trigger a collection.
// Once the server has been quiet for a while after the heap grew, one full collection runs: never
// during traffic (it would pause the echo), and once per quiet spell.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface IdleCollectorOptions {
  /** Something that grows with activity (the recorder's next seq): unchanged over a check means quiet. */
  activity(): number;
  /** How often activity is checked. */
  checkMs?: number;
  /** Heap growth since the last collection that makes one worth running. */
  minGrowthBytes?: number;
  /** The collection itself (tests count them); V8's full collection by default. */
  collect?: () => void;
  /** Bytes of heap in use (tests drive it); V8's own count by default. */
  heapUsed?: () => number;
}

export interface IdleCollector {
  /** Collections run so far. */
  readonly collections: number;
  stop(): void;
}

/** Quiet for a whole check after this much heap growth: the collection is worth its pause (tens of ms). */
export const IDLE_GC_MIN_GROWTH_BYTES = 8 * 1024 * 1024;
export const IDLE_GC_CHECK_MS = 1000;

let fullGc: (() => void) | null = null;

/**
 * V8's full collection, compacting, made callable without starting Node with --expose-gc. Compacting
 * matters after a flood: its garbage leaves old-space pages mostly empty, and a plain full collection
 * frees the objects but keeps every page that still holds one (measured after the bench's flood: 23 MB
 * in use on 43 MB of pages). Moving the survivors together gives the emptied pages back.
 */
export function v8FullGc(): void {
  if (fullGc === null) {
    setFlagsFromString('--expose-gc');
    fullGc = runInNewContext('gc') as () => void;
  }
  setFlagsFromString('--compact-on-every-full-gc');
  try {
    fullGc();
  } finally {
    setFlagsFromString('--no-compact-on-every-full-gc');
  }
}

export function startIdleCollector(opts: IdleCollectorOptions): IdleCollector {
  const checkMs = opts.checkMs ?? IDLE_GC_CHECK_MS;
  const minGrowth = opts.minGrowthBytes ?? IDLE_GC_MIN_GROWTH_BYTES;
  const collect = opts.collect ?? v8FullGc;
  const heapUsed = opts.heapUsed ?? (() => getHeapStatistics().used_heap_size);
  let lastActivity = opts.activity();
  let heapAfterLast = heapUsed();
  let collections = 0;
  const timer = setInterval(() => {
    const now = opts.activity();
    const quiet = now === lastActivity;
    lastActivity = now;
    if (!quiet || heapUsed() - heapAfterLast < minGrowth) return;
    collect();
    collections++;
    heapAfterLast = heapUsed();
  }, checkMs);
  // A check must never keep the process alive.
  timer.unref();
  return {
    get collections() {
      return collections;
    },
    stop: () => clearInterval(timer),
  };
}
