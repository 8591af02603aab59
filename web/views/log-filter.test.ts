import { describe, expect, it } from 'vitest';
import type { TcpEvent } from '../../shared/events.ts';
import { filterLog, kindsPresent, rowsNewerThan } from './log-filter.ts';

const ev = (seq: number, kind: string, connId: number) => ({ seq, t: 0, connId, kind }) as unknown as TcpEvent;
const events = [ev(1, 'open', 1), ev(2, 'write', 1), ev(3, 'config', 0), ev(4, 'read', 2), ev(5, 'segment', 1)];

describe('filterLog', () => {
  it('lists everything newest first by default', () => {
    expect(filterLog(events, { hiddenKinds: new Set(), connId: null }).map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]);
  });
  it('hides kinds and keeps server-wide events when filtering by connection', () => {
    expect(filterLog(events, { hiddenKinds: new Set(['open']), connId: 1 }).map((e) => e.seq)).toEqual([5, 3, 2]);
  });
});

describe('kindsPresent', () => {
  it('appends kinds the page does not know', () => {
    expect(kindsPresent(events, ['open', 'read', 'write'])).toEqual(['open', 'read', 'write', 'config', 'segment']);
  });
});

describe('rowsNewerThan', () => {
  it('counts the rows that arrived above a remembered one', () => {
    const rows = filterLog(events, { hiddenKinds: new Set(), connId: null });
    expect(rowsNewerThan(rows, 3)).toBe(2);
    expect(rowsNewerThan(rows, 5)).toBe(0);
    expect(rowsNewerThan(rows, -1)).toBe(5);
  });
});
