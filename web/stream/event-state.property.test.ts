// The page's filing of a live stream under load, against a simulated server: whatever the stream details,
// summarises, misses (a gap, then a snapshot) or the page evicts, the chart drawn from a connection's
// stream ends on its exact counters and never draws more read than written at any point.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_CONFIG } from '../../shared/config.ts';
import type { Connection } from '../../shared/connections.ts';
import type { ChunkEvent } from '../../shared/events.ts';
import { chartSeries } from '../views/chart-data.ts';
import { applyBatch, applyMissed, applySnapshot, createLiveState, type LiveState } from './event-state.ts';
import { EMPTY_VIEW, nextView, type StoreView } from './store-view.ts';

const extras = { link: 'live' as const, paused: false, pending: 0, serverError: null };

function conn(id: number, n: { writes: number; bytesWritten: number; reads: number; bytesRead: number }): Connection {
  return {
    id, origin: 'builtin', remoteAddress: '127.0.0.1', remotePort: 40000 + id, localAddress: '127.0.0.1', localPort: 5055,
    state: 'open', openedAt: 1, closedAt: null, closeReason: null, closeCode: null, replies: 0, bytesReplied: 0, ...n,
  };
}

/** Checks every stream of a view: its chart ends on its counters, counts every call once, and never reads ahead. */
function checkView(view: StoreView): void {
  for (const s of view.streams.values()) {
    if (s.counters === null) continue;
    const series = chartSeries(s.writes, s.reads, 50, s.summaries, s.counters);
    const last = series.points.at(-1);
    expect([last?.written ?? 0, last?.readTotal ?? 0]).toEqual([s.counters.bytesWritten, s.counters.bytesRead]);
    expect(series.points.reduce((a, p) => a + p.writes + p.reads, 0)).toBe(s.counters.writes + s.counters.reads);
    for (const p of series.points) expect(p.readTotal, `#${s.connId} at x=${p.x}`).toBeLessThanOrEqual(p.written);
  }
}

describe('event state under load, against a simulated live stream', () => {
  it('files every call once, in place, through summaries, gaps, folds and evictions', () => {
    fc.assert(
      fc.property(
        // Per call: which connection (1 or 2), write or read, size; per flush: whether the page missed it.
        fc.array(fc.tuple(fc.integer({ min: 1, max: 2 }), fc.boolean(), fc.integer({ min: 1, max: 90 })), { minLength: 1, maxLength: 400 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 30 }), // calls per flush
        fc.integer({ min: 1, max: 10 }), // detailed per batch
        fc.integer({ min: 5, max: 120 }), // page capacity
        fc.integer({ min: 2, max: 6 }), // summaries kept per connection
        fc.integer({ min: 1, max: 40 }), // server store (what a snapshot holds)
        (calls, missedFlushes, perFlush, detail, capacity, summariesMax, storeSize) => {
          const state: LiveState = createLiveState(capacity, summariesMax);
          const counters = new Map<number, { writes: number; bytesWritten: number; reads: number; bytesRead: number }>();
          const history: ChunkEvent[] = [];
          let view: StoreView = EMPTY_VIEW;
          let behind = false;
          let missed = 0;
          applySnapshot(state, { type: 'snapshot', config: DEFAULT_CONFIG, connections: [], events: [], nextSeq: 1 }, 'reset');
          let seq = 1;
          for (let f = 0; f * perFlush < calls.length; f++) {
            const flush: ChunkEvent[] = [];
            const changed = new Set<number>();
            for (const [id, isWrite, size] of calls.slice(f * perFlush, (f + 1) * perFlush)) {
              let n = counters.get(id);
              if (n === undefined) counters.set(id, (n = { writes: 0, bytesWritten: 0, reads: 0, bytesRead: 0 }));
              const unread = n.bytesWritten - n.bytesRead;
              const write = isWrite || unread === 0;
              const length = write ? size : Math.min(size, unread);
              const e: ChunkEvent = { seq: seq++, t: seq, connId: id, kind: write ? 'write' : 'read', offset: write ? n.bytesWritten : n.bytesRead, length, hex: '', truncated: false };
              if (write) n.writes++, (n.bytesWritten += length);
              else n.reads++, (n.bytesRead += length);
              flush.push(e);
              history.push(e);
              changed.add(id);
            }
            const connections = [...changed].map((id) => conn(id, { ...counters.get(id)! }));
            if (missedFlushes[f % missedFlushes.length] && !behind) behind = true;
            else if (behind) {
              // Drained: told what it missed, then a fresh snapshot of the store's newest events.
              missed += flush.length;
              applyMissed(state, missed);
              const all = [...counters].map(([id, n]) => conn(id, { ...n }));
              applySnapshot(state, { type: 'snapshot', config: DEFAULT_CONFIG, connections: all, events: history.slice(-storeSize), nextSeq: seq }, 'merge');
              behind = false;
              missed = 0;
              view = nextView(state, view, extras, false);
              checkView(view);
              continue;
            }
            if (behind) {
              missed += flush.length;
              continue;
            }
            applyBatch(state, { type: 'batch', events: flush.slice(0, detail), skipped: Math.max(0, flush.length - detail), connections });
            view = nextView(state, view, extras, false);
            checkView(view);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
