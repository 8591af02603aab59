import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config.ts';
import type { Connection } from '../../shared/connections.ts';
import type { ChunkEvent, TcpEvent } from '../../shared/events.ts';
import type { BatchMessage, SnapshotMessage } from '../../shared/live.ts';
import { CLOSED_CONNECTIONS_KEPT } from '../../shared/limits.ts';
import { applyBatch, applyMissed, applySnapshot, clearView, configAt, createLiveState, mergeEvents } from './event-state.ts';
import { EMPTY_VIEW, nextView } from './store-view.ts';

const extras = { link: 'live' as const, paused: false, pending: 0, serverError: null };

function conn(id: number, patch: Partial<Connection> = {}): Connection {
  return {
    id,
    origin: 'builtin',
    remoteAddress: '127.0.0.1',
    remotePort: 40000 + id,
    localAddress: '127.0.0.1',
    localPort: 5055,
    state: 'open',
    openedAt: 1000 + id,
    closedAt: null,
    closeReason: null,
    closeCode: null,
    reads: 0,
    bytesRead: 0,
    replies: 0,
    bytesReplied: 0,
    writes: 0,
    bytesWritten: 0,
    ...patch,
  };
}

function chunk(seq: number, connId: number, kind: ChunkEvent['kind'], offset: number, length: number): ChunkEvent {
  return { seq, t: 1000 + seq, connId, kind, offset, length, hex: Array(length).fill('41').join(' '), truncated: false };
}

function snapshot(events: TcpEvent[], connections: Connection[], nextSeq = (events.at(-1)?.seq ?? -1) + 1): SnapshotMessage {
  return { type: 'snapshot', config: DEFAULT_CONFIG, connections, events, nextSeq };
}

function batch(events: TcpEvent[], connections: Connection[] = [], skipped = 0): BatchMessage {
  return { type: 'batch', events, skipped, connections };
}

/** Three 7-byte writes that arrive as one 21-byte read, as in the tutorial. */
const tutorial = [chunk(1, 1, 'write', 0, 7), chunk(2, 1, 'write', 7, 7), chunk(3, 1, 'write', 14, 7), chunk(4, 1, 'read', 0, 21)];

describe('applySnapshot', () => {
  it('fills events, streams, connections and config', () => {
    const s = createLiveState();
    applySnapshot(s, snapshot(tutorial, [conn(1)]), 'reset');
    expect(s.events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(s.streams.get(1)!.writes.map((e) => e.length)).toEqual([7, 7, 7]);
    expect(s.streams.get(1)!.reads.map((e) => e.length)).toEqual([21]);
    expect([...s.connections.keys()]).toEqual([1]);
    expect(s.config).toEqual(DEFAULT_CONFIG);
    expect(s.lastSeq).toBe(4);
  });

  it('replaces everything on reset (the server restarted)', () => {
    const s = createLiveState();
    applySnapshot(s, snapshot(tutorial, [conn(1)]), 'reset');
    applySnapshot(s, snapshot([chunk(0, 1, 'read', 0, 5)], [conn(1)]), 'reset');
    expect(s.events.map((e) => (e as ChunkEvent).length)).toEqual([5]);
    expect(s.streams.get(1)!.writes).toEqual([]);
  });

  it('keeps what came before the gap when merging after "missed"', () => {
    const s = createLiveState();
    applySnapshot(s, snapshot(tutorial.slice(0, 2), [conn(1)]), 'reset');
    applyMissed(s, 40);
    applySnapshot(s, snapshot([chunk(44, 1, 'read', 0, 21)], [conn(1, { reads: 1 })], 45), 'merge');
    expect(s.events.map((e) => e.seq)).toEqual([1, 2, 44]);
    expect(s.stats.missed).toBe(40);
    expect(s.streams.get(1)!.writes).toHaveLength(2);
    expect(s.connections.get(1)!.reads).toBe(1);
  });
});

describe('applyBatch', () => {
  it('appends events, upserts changed connections and counts what the server skipped', () => {
    const s = createLiveState();
    applySnapshot(s, snapshot([], [], 1), 'reset');
    applyBatch(s, batch(tutorial.slice(0, 3), [conn(1, { writes: 3, bytesWritten: 21 })]));
    applyBatch(s, batch([tutorial[3]!], [conn(1, { writes: 3, bytesWritten: 21, reads: 1, bytesRead: 21 })], 5));
    expect(s.events).toHaveLength(4);
    expect(s.connections.get(1)!.bytesRead).toBe(21);
    expect(s.stats).toMatchObject({ received: 4, skipped: 5 });
  });

  it('ignores events a snapshot already delivered', () => {
    const s = createLiveState();
    applySnapshot(s, snapshot(tutorial, [conn(1)]), 'reset');
    applyBatch(s, batch([tutorial[3]!, chunk(5, 1, 'reply', 0, 12)]));
    expect(s.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(s.streams.get(1)!.replies).toHaveLength(1);
  });

  it('takes the config from config events', () => {
    const s = createLiveState();
    applySnapshot(s, snapshot([], [], 0), 'reset');
    applyBatch(s, batch([{ seq: 0, t: 0, connId: 0, kind: 'config', config: { ...DEFAULT_CONFIG, bufferSize: 7 } }]));
    expect(s.config!.bufferSize).toBe(7);
  });

  it('logs kinds it does not know without filing them under a stream', () => {
    const s = createLiveState();
    applySnapshot(s, snapshot([], [], 0), 'reset');
    const future = { seq: 0, t: 0, connId: 1, kind: 'segment', flags: 'PSH ACK' } as unknown as TcpEvent;
    applyBatch(s, batch([future]));
    expect(s.events).toEqual([future]);
    expect(s.streams.size).toBe(0);
  });

  it('holds at most its capacity, dropping the oldest from the streams too', () => {
    const s = createLiveState(10);
    applySnapshot(s, snapshot([], [], 0), 'reset');
    const events = Array.from({ length: 25 }, (_, i) => chunk(i, 1 + (i % 2), 'read', i * 3, 3));
    for (let i = 0; i < 25; i += 5) applyBatch(s, batch(events.slice(i, i + 5)));
    expect(s.events.map((e) => e.seq)).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
    expect(s.stats.evicted).toBe(15);
    expect(s.streams.get(1)!.reads.map((e) => e.seq)).toEqual([16, 18, 20, 22, 24]);
    expect(s.streams.get(2)!.reads.map((e) => e.seq)).toEqual([15, 17, 19, 21, 23]);
  });

  it('keeps every open connection and only the newest closed ones', () => {
    const s = createLiveState();
    applySnapshot(s, snapshot([], [conn(1)], 0), 'reset');
    const closed = Array.from({ length: CLOSED_CONNECTIONS_KEPT + 5 }, (_, i) =>
      conn(i + 2, { state: 'closed', closedAt: 2000 + i, closeReason: 'end' }),
    );
    applyBatch(s, batch([], closed));
    expect(s.connections.size).toBe(CLOSED_CONNECTIONS_KEPT + 1);
    expect(s.connections.has(1)).toBe(true);
    expect(s.connections.has(2)).toBe(false);
  });
});

describe('mergeEvents', () => {
  it('fills in what a batch summarised, in seq order, without duplicates', () => {
    const s = createLiveState();
    applySnapshot(s, snapshot([], [], 1), 'reset');
    // The batch carried the first write and the read; it summarised writes 2 and 3.
    applyBatch(s, batch([tutorial[0]!, tutorial[3]!], [], 2));
    expect(mergeEvents(s, [tutorial[1]!, tutorial[2]!, tutorial[0]!])).toBe(2);
    expect(s.events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(s.streams.get(1)!.writes.map((e) => e.offset)).toEqual([0, 7, 14]);
  });

  it('takes the events a batch summarised after its detailed ones', () => {
    const s = createLiveState();
    applySnapshot(s, snapshot([], [], 1), 'reset');
    applyBatch(s, batch(tutorial.slice(0, 2), [], 2));
    expect(mergeEvents(s, tutorial.slice(2))).toBe(2);
    expect(s.streams.get(1)!.reads).toHaveLength(1);
  });

  it('leaves events the live stream has not reached yet to the stream', () => {
    const s = createLiveState();
    applySnapshot(s, snapshot([], [], 1), 'reset');
    applyBatch(s, batch([tutorial[0]!]));
    expect(mergeEvents(s, [tutorial[1]!])).toBe(0);
    applyBatch(s, batch([tutorial[1]!]));
    expect(s.events).toHaveLength(2);
  });

  it('does not bring back what the user cleared', () => {
    const s = createLiveState();
    applySnapshot(s, snapshot(tutorial, [conn(1)]), 'reset');
    clearView(s, 1_000);
    expect(mergeEvents(s, tutorial)).toBe(0);
  });
});

describe('configAt', () => {
  const cfg = (bufferSize: number) => ({ ...DEFAULT_CONFIG, bufferSize });
  const configEvent = (seq: number, bufferSize: number): TcpEvent => ({ seq, t: 0, connId: 0, kind: 'config', config: cfg(bufferSize) });

  it('tells which buffer cut each read, across snapshot and batches', () => {
    const s = createLiveState();
    // The snapshot holds a change to 1024 at seq 2, and says 1024 is current from seq 5 on.
    applySnapshot(s, { ...snapshot([configEvent(2, 1024), chunk(3, 1, 'read', 0, 21)], [conn(1)], 5), config: cfg(1024) }, 'reset');
    applyBatch(s, batch([configEvent(5, 7), chunk(6, 2, 'read', 0, 7)]));
    expect(configAt(s.configHistory, 1)).toBeNull();
    expect(configAt(s.configHistory, 3)!.bufferSize).toBe(1024);
    expect(configAt(s.configHistory, 4)!.bufferSize).toBe(1024);
    expect(configAt(s.configHistory, 6)!.bufferSize).toBe(7);
  });
});

describe('clearView', () => {
  it('empties the view, keeps open connections and stays clear across a resync', () => {
    const s = createLiveState();
    const closed = conn(2, { state: 'closed', closedAt: 500, closeReason: 'end' });
    applySnapshot(s, snapshot(tutorial, [conn(1), closed]), 'reset');
    clearView(s, 1_000);
    expect(s.events).toEqual([]);
    expect(s.streams.size).toBe(0);
    expect([...s.connections.keys()]).toEqual([1]);

    applySnapshot(s, snapshot([...tutorial, chunk(5, 1, 'reply', 0, 12)], [conn(1), closed]), 'merge');
    expect(s.events.map((e) => e.seq)).toEqual([5]);
    expect([...s.connections.keys()]).toEqual([1]);
  });

  it('forgets the clear mark when the server restarted', () => {
    const s = createLiveState();
    applySnapshot(s, snapshot(tutorial, [conn(1)]), 'reset');
    clearView(s, 1_000);
    applySnapshot(s, snapshot([chunk(0, 1, 'read', 0, 7)], [conn(1)]), 'reset');
    expect(s.events).toHaveLength(1);
  });
});

describe('nextView', () => {
  it('copies only what changed, so unchanged parts keep their identity', () => {
    const s = createLiveState();
    applySnapshot(s, snapshot(tutorial, [conn(1)]), 'reset');
    const v1 = nextView(s, EMPTY_VIEW, extras, false);
    expect(v1.events).toHaveLength(4);
    expect(v1.events).not.toBe(s.events);

    // A counter that no write or read stands behind (a reply) changes the connection, not its stream.
    applyBatch(s, batch([], [conn(1, { replies: 1 })]));
    const v2 = nextView(s, v1, extras, false);
    expect(v2.events).toBe(v1.events);
    expect(v2.streams).toBe(v1.streams);
    expect(v2.connections).not.toBe(v1.connections);

    applyBatch(s, batch([chunk(5, 2, 'read', 0, 3)]));
    const v3 = nextView(s, v2, extras, false);
    expect(v3.streams.get(1)).toBe(v2.streams.get(1));
    expect(v3.streams.get(2)!.reads).toHaveLength(1);
  });

  it('does not change while frozen, except for counters and config', () => {
    const s = createLiveState();
    applySnapshot(s, snapshot(tutorial, [conn(1)]), 'reset');
    const v1 = nextView(s, EMPTY_VIEW, extras, false);
    applyBatch(s, batch([chunk(5, 1, 'reply', 0, 12)], [conn(1, { replies: 1 })], 3));
    const frozen = nextView(s, v1, { ...extras, paused: true, pending: 4 }, true);
    expect(frozen.events).toBe(v1.events);
    expect(frozen.connections).toBe(v1.connections);
    expect(frozen.stats.skipped).toBe(3);
    expect(frozen.pending).toBe(4);
    const resumed = nextView(s, frozen, extras, false);
    expect(resumed.events).toHaveLength(5);
  });
});

describe('summaries', () => {
  const tutorialConn = { writes: 3, bytesWritten: 21, reads: 1, bytesRead: 21 };

  it('files what a batch counted but did not detail, after its detailed events, with exact counts', () => {
    const s = createLiveState();
    applySnapshot(s, snapshot([], [conn(1)]), 'reset');
    // 1,000 writes of 64 KiB: the batch details two and counts the rest.
    applyBatch(s, batch([chunk(0, 1, 'write', 0, 65536), chunk(1, 1, 'write', 65536, 65536)], [conn(1, { writes: 1000, bytesWritten: 65_536_000 })], 998));
    expect(s.streams.get(1)!.summaries).toEqual([{ afterSeq: 1, toSeq: 999, writes: 998, writeBytes: 998 * 65536, reads: 0, readBytes: 0 }]);
    // The next batch details every read it counts: nothing more is summarised.
    applyBatch(s, batch([chunk(1000, 1, 'read', 0, 1024)], [conn(1, { writes: 1000, bytesWritten: 65_536_000, reads: 1, bytesRead: 1024 })]));
    expect(s.streams.get(1)!.summaries).toHaveLength(1);
  });

  it('says nothing when a batch detailed everything', () => {
    const s = createLiveState();
    applySnapshot(s, snapshot([], [conn(1)]), 'reset');
    applyBatch(s, batch(tutorial, [conn(1, tutorialConn)]));
    expect(s.streams.get(1)!.summaries).toEqual([]);
  });

  it('files what a snapshot no longer holds before its first event', () => {
    const s = createLiveState();
    // The store kept only the last write and the read of a connection that wrote 3 and read 1.
    applySnapshot(s, snapshot(tutorial.slice(2), [conn(1, tutorialConn)], 5), 'reset');
    expect(s.streams.get(1)!.summaries).toEqual([{ afterSeq: -1, toSeq: 2, writes: 2, writeBytes: 14, reads: 0, readBytes: 0 }]);
  });

  it('shrinks a summary by the events a backfill fetched, and drops it once empty', () => {
    const s = createLiveState();
    applySnapshot(s, snapshot([], [conn(1)]), 'reset');
    applyBatch(s, batch([tutorial[0]!], [conn(1, { writes: 3, bytesWritten: 21 })], 2));
    expect(s.streams.get(1)!.summaries[0]).toMatchObject({ writes: 2, writeBytes: 14 });
    mergeEvents(s, [tutorial[1]!]);
    expect(s.streams.get(1)!.summaries[0]).toMatchObject({ writes: 1, writeBytes: 7 });
    mergeEvents(s, [tutorial[2]!]);
    expect(s.streams.get(1)!.summaries).toEqual([]);
  });

  it('folds the calls it evicts into the stream, so that a snapshot after a gap files only what it lacks, after what it holds', () => {
    const s = createLiveState(2);
    applySnapshot(s, snapshot([], [conn(1)]), 'reset');
    // Two writes of 7 and a read of 14 in detail; the page holds two events, so the first write leaves it.
    applyBatch(s, batch([chunk(1, 1, 'write', 0, 7), chunk(2, 1, 'write', 7, 7), chunk(3, 1, 'read', 0, 14)], [conn(1, { writes: 2, bytesWritten: 14, reads: 1, bytesRead: 14 })]));
    expect(s.streams.get(1)!.summaries).toEqual([{ afterSeq: -1, toSeq: 1, writes: 1, writeBytes: 7, reads: 0, readBytes: 0, folded: true }]);
    // A gap (a write and a read missed), then a snapshot holding only the last read.
    applyMissed(s, 2);
    applySnapshot(s, snapshot([chunk(5, 1, 'read', 14, 7)], [conn(1, { writes: 3, bytesWritten: 21, reads: 2, bytesRead: 21 })], 6), 'merge');
    const stream = s.streams.get(1)!;
    // The gap holds the missed write alone: the evicted one is not counted again there.
    expect(stream.summaries.find((m) => !m.folded)).toMatchObject({ afterSeq: 3, toSeq: 4, writes: 1, writeBytes: 7, reads: 0 });
    expect(stream.counters).toEqual({ writes: 3, bytesWritten: 21, reads: 2, bytesRead: 21 });
  });

  it('keeps filing summaries of a stream rebuilt while it had none', () => {
    const s = createLiveState();
    applySnapshot(s, snapshot([], [], 1), 'reset');
    applyBatch(s, batch([tutorial[0]!], [conn(1, { writes: 1, bytesWritten: 7 })]));
    mergeEvents(s, []); // nothing fetched: no rebuild
    applySnapshot(s, snapshot([tutorial[0]!], [conn(1, { writes: 1, bytesWritten: 7 })], 2), 'merge'); // rebuilt with no summary
    applyBatch(s, batch([], [conn(1, { writes: 3, bytesWritten: 21 })], 2));
    expect(s.summaries.get(1)).toBe(s.streams.get(1)!.summaries);
    // A later rebuild keeps the summary the batch filed.
    applySnapshot(s, snapshot([tutorial[0]!], [conn(1, { writes: 3, bytesWritten: 21 })], 4), 'merge');
    expect(s.streams.get(1)!.summaries.reduce((a, m) => a + m.writes, 0)).toBe(2);
  });

  it('forgets summaries on Clear', () => {
    const s = createLiveState();
    applySnapshot(s, snapshot([], [conn(1)]), 'reset');
    applyBatch(s, batch([], [conn(1, { writes: 3, bytesWritten: 21 })], 3));
    clearView(s, 5000);
    expect(s.streams.size).toBe(0);
    expect(s.summaries.size).toBe(0);
  });

  it('stays bounded per connection by folding the oldest into one stretch, with the totals intact', () => {
    const s = createLiveState();
    applySnapshot(s, snapshot([], [conn(1)]), 'reset');
    const n = 1200;
    for (let i = 1; i <= n; i++) {
      // Each batch details one read and summarises one of 7 bytes.
      applyBatch(s, batch([chunk(2 * i, 1, 'read', 14 * (i - 1), 7)], [conn(1, { reads: 2 * i, bytesRead: 14 * i })], 1));
    }
    const stream = s.streams.get(1)!;
    const list = stream.summaries;
    expect(list.length).toBeLessThanOrEqual(500);
    // The folded bin counts the detailed reads of its stretch too; the stream holds only those after it.
    expect(list[0]!.folded).toBe(true);
    expect(stream.reads.filter((e) => e.seq > list[0]!.afterSeq && e.seq <= list[0]!.toSeq)).toEqual([]);
    expect(list.reduce((a, m) => a + m.reads, 0) + stream.reads.length).toBe(2 * n);
    expect(list.reduce((a, m) => a + m.readBytes, 0) + stream.reads.length * 7).toBe(14 * n);
    expect(stream.counters).toEqual({ writes: 0, bytesWritten: 0, reads: 2 * n, bytesRead: 14 * n });
    // The log keeps every detailed read.
    expect(s.events).toHaveLength(n);
  });
});
