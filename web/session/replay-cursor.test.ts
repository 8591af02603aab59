import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../shared/config.ts';
import type { Connection } from '../../shared/connections.ts';
import type { TcpEvent } from '../../shared/events.ts';
import { SESSION_FORMAT, SESSION_VERSION, type SessionDocument } from '../../shared/session.ts';
import { applyBatch, applySnapshot, createLiveState } from '../stream/event-state.ts';
import { ReplayCursor } from './replay-cursor.ts';

const C1024: Config = { bufferSize: 1024, replyMode: 'ack', paused: false, framing: { mode: 'raw' } };
const C7: Config = { ...C1024, bufferSize: 7 };
const T = 1_700_000_000_000;
const chunk = (kind: 'read' | 'write' | 'reply', seq: number, connId: number, offset: number, length: number): TcpEvent => ({
  kind,
  seq,
  t: T + seq * 10,
  connId,
  offset,
  length,
  hex: '',
  truncated: true,
});
const conn = (id: number, over: Partial<Connection>): Connection => ({
  id,
  origin: 'builtin',
  remoteAddress: '127.0.0.1',
  remotePort: 40000 + id,
  localAddress: '127.0.0.1',
  localPort: 5055,
  state: 'closed',
  openedAt: T,
  closedAt: T + 1000,
  closeReason: 'end',
  closeCode: null,
  reads: 0,
  bytesRead: 0,
  replies: 0,
  bytesReplied: 0,
  writes: 0,
  bytesWritten: 0,
  ...over,
});

/** Connection 1 was open before the file begins and already had a read; connection 2 opens, writes, reads and closes in it. */
const session: SessionDocument = {
  format: SESSION_FORMAT,
  version: SESSION_VERSION,
  exportedAt: T + 1000,
  initialConfig: C1024,
  config: C7,
  connections: [conn(1, { state: 'open', closedAt: null, closeReason: null, reads: 2, bytesRead: 30 }), conn(2, { closedAt: T + 220, writes: 3, bytesWritten: 21, reads: 3, bytesRead: 21, replies: 3, bytesReplied: 33 })],
  events: [
    chunk('read', 10, 1, 9, 21),
    { kind: 'config', seq: 11, t: T + 110, connId: 0, config: C7 },
    { kind: 'open', seq: 12, t: T + 120, connId: 2, remoteAddress: '127.0.0.1', remotePort: 40002, localAddress: '127.0.0.1', localPort: 5055, origin: 'builtin' },
    chunk('write', 13, 2, 0, 7),
    chunk('write', 14, 2, 7, 7),
    chunk('write', 15, 2, 14, 7),
    chunk('read', 16, 2, 0, 7),
    chunk('reply', 17, 2, 0, 11),
    chunk('read', 18, 2, 7, 7),
    chunk('reply', 19, 2, 11, 11),
    chunk('read', 20, 2, 14, 7),
    chunk('reply', 21, 2, 22, 11),
    { kind: 'close', seq: 22, t: T + 220, connId: 2, reason: 'end' },
  ],
};

describe('ReplayCursor', () => {
  it('shows what the server had said at any position, with counters that end exactly at the final ones', () => {
    const cursor = new ReplayCursor(session);
    const start = cursor.seek(0);
    expect(start.events).toEqual([]);
    expect(start.config).toEqual(C1024);
    expect(start.connections).toEqual([expect.objectContaining({ id: 1, state: 'open', reads: 1, bytesRead: 9 })]);

    const mid = cursor.seek(7); // through the first read of connection 2
    expect(mid.config).toEqual(C7);
    expect(mid.nextSeq).toBe(17);
    expect(mid.connections.find((c) => c.id === 2)).toMatchObject({ state: 'open', writes: 3, reads: 1, bytesRead: 7, closedAt: null });

    const end = cursor.seek(session.events.length);
    expect(end.connections.sort((a, b) => a.id - b.id)).toEqual(session.connections);
  });

  it('finds positions by time and times by position', () => {
    const cursor = new ReplayCursor(session);
    expect(cursor.duration).toBe(120);
    expect(cursor.positionAt(-1)).toBe(0);
    expect(cursor.positionAt(0)).toBe(1);
    expect(cursor.positionAt(35)).toBe(4);
    expect(cursor.positionAt(1e9)).toBe(session.events.length);
    expect(cursor.timeOf(0)).toBe(0);
    expect(cursor.timeOf(3)).toBe(20);
  });

  it('gives the same picture whether it seeks or plays forward in any steps', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: session.events.length }), { maxLength: 8 }), fc.integer({ min: 0, max: session.events.length }), (steps, target) => {
        const played = createLiveState();
        const cursor = new ReplayCursor(session);
        applySnapshot(played, cursor.seek(0), 'reset');
        for (const p of [...steps.filter((s) => s <= target).sort((a, b) => a - b), target]) applyBatch(played, cursor.advanceTo(p));
        const sought = createLiveState();
        applySnapshot(sought, new ReplayCursor(session).seek(target), 'reset');
        expect(played.events).toEqual(sought.events);
        expect(played.config).toEqual(sought.config);
        expect([...played.connections.values()].sort((a, b) => a.id - b.id)).toEqual([...sought.connections.values()].sort((a, b) => a.id - b.id));
        expect([...played.streams.keys()].sort()).toEqual([...sought.streams.keys()].sort());
      }),
      { numRuns: 100 },
    );
  });
});
