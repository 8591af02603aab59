// The store's kept-bytes budget: whole chunks up to EVENT_KEPT_BYTES_PER_SEC, then only their first
// bytes until the next tenth of a second; lengths, offsets and counts stay exact throughout.
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
