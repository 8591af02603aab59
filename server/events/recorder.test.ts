// The recorder's two budgets. Kept bytes: whole chunks up to EVENT_KEPT_BYTES_PER_SEC, then only their
// first bytes until the next tenth of a second. Detail: chunk events up to a burst and a rate, then only
// numbered and counted. Lengths, offsets, seqs and counts stay exact throughout.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_HEX_MAX_BYTES, EVENT_KEPT_BYTES_PER_SEC, EVENT_THIN_HEX_BYTES } from '../../shared/limits.ts';
import { ConnectionState } from '../echo/connection-state.ts';
import { EventStore } from './event-store.ts';
import { Recorder } from './recorder.ts';

describe('recorder', () => {
  it('keeps whole chunks within the kept-bytes budget, thins the rest of that window, and keeps every length exact', () => {
    let now = 1_000_000;
    const recorder = new Recorder(new EventStore(5000), () => now);
    // A recorded chunk needs only the connection's id: no socket is read here.
    const conn = new ConnectionState(1, null as never, 'external', '127.0.0.1', 40000, '127.0.0.1', 5055, now);
    const chunk = Buffer.alloc(EVENT_HEX_MAX_BYTES, 0x41);
    const perWindow = EVENT_KEPT_BYTES_PER_SEC / 10;
    const whole = Math.ceil(perWindow / EVENT_HEX_MAX_BYTES);

    for (let i = 0; i < whole + 100; i++) recorder.chunk('read', conn, i * chunk.length, chunk, chunk.length);
    now += 100; // the next tenth of a second: whole again
    for (let i = 0; i < 10; i++) recorder.chunk('read', conn, 0, chunk, chunk.length);

    const events = recorder.store.query({ limit: 5000 });
    expect(events).toHaveLength(whole + 110);
    const kept = events.map((e) => ('bytes' in e ? e.bytes.length : -1));
    expect(kept.slice(0, whole)).toEqual(Array(whole).fill(EVENT_HEX_MAX_BYTES));
    expect(kept.slice(whole, whole + 100)).toEqual(Array(100).fill(EVENT_THIN_HEX_BYTES));
    expect(kept.slice(whole + 100)).toEqual(Array(10).fill(EVENT_HEX_MAX_BYTES));
    for (const e of events) {
      expect(e).toMatchObject({ kind: 'read', length: EVENT_HEX_MAX_BYTES });
      if ('bytes' in e) expect(e.truncated).toBe(e.bytes.length < EVENT_HEX_MAX_BYTES);
    }
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  });
});

describe('recorder detail budget', () => {
  const conn = () => new ConnectionState(1, null as never, 'external', '127.0.0.1', 40000, '127.0.0.1', 5055, 0);
  const src = Buffer.from('Hello1\n');

  it('details a burst, then numbers and counts the rest with no event, and details again once refilled', async () => {
    let now = 1_000;
    const recorder = new Recorder(new EventStore(5000), () => now, undefined, { perSec: 1000, burst: 10 });
    const c = conn();
    const seqs = Array.from({ length: 25 }, (_, i) => recorder.chunk('read', c, i * 7, src, 7));
    // Every chunk is numbered, in order, whether it got an event or not.
    expect(seqs).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(recorder.store.query({ limit: 100 }).map((e) => e.seq)).toEqual(seqs.slice(0, 10));
    expect(recorder.summarised).toBe(15);
    expect(c.eventsSummarised).toBe(15);
    expect(c.toJSON().eventsSummarised).toBe(15);

    // The budget earns one chunk a millisecond; a refill comes after the budget is spent, by itself.
    now += 5;
    await new Promise<void>((resolve) => {
      const stop = recorder.onRefill(() => {
        stop();
        resolve();
      });
    });
    for (let i = 0; i < 8; i++) recorder.chunk('reply', c, i * 11, src, 7);
    const events = recorder.store.query({ limit: 100 });
    expect(events.map((e) => e.seq)).toEqual([...seqs.slice(0, 10), 26, 27, 28, 29, 30]);
    expect(recorder.summarised).toBe(18);
    expect(c.eventsSummarised).toBe(18);
  });

  it('tells count listeners of every chunk, summarised or not, and chunk listeners only of those with an event', () => {
    const recorder = new Recorder(new EventStore(100), () => 0, undefined, { perSec: 0, burst: 3 });
    const c = conn();
    let counted = 0;
    let told = 0;
    recorder.onCount(() => counted++);
    recorder.onChunk(() => told++);
    for (let i = 0; i < 10; i++) recorder.chunk('write', c, i * 7, src, 7);
    expect([counted, told, recorder.summarised]).toEqual([10, 3, 7]);
  });

  it('never details more than the burst and what the rate earned, and numbers every chunk', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ advanceMs: fc.nat(50), chunks: fc.nat(200) }), { maxLength: 30 }), fc.nat(100), fc.integer({ min: 1, max: 100 }), (steps, perSec, burst) => {
        let now = 0;
        const recorder = new Recorder(new EventStore(20_000), () => now, undefined, { perSec, burst });
        const c = conn();
        let total = 0;
        for (const step of steps) {
          now += step.advanceMs;
          for (let i = 0; i < step.chunks; i++) expect(recorder.chunk('read', c, 0, src, 7)).toBe(++total);
        }
        const detailed = recorder.store.query({ limit: 20_000 }).length;
        expect(detailed + recorder.summarised).toBe(total);
        expect(c.eventsSummarised).toBe(recorder.summarised);
        expect(detailed).toBeLessThanOrEqual(burst + (perSec * now) / 1000);
        if (total > 0) expect(detailed).toBeGreaterThanOrEqual(Math.min(total, burst));
      }),
      { numRuns: 200 },
    );
  });
});
