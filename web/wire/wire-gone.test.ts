import { describe, expect, it } from 'vitest';
import type { Connection } from '../../shared/connections.ts';
import { emptyWire } from './wire-data.ts';
import { wireGoneText } from './wire-gone.ts';

const conn = (over: Partial<Connection>): Connection =>
  ({
    id: 4,
    origin: 'builtin',
    remoteAddress: '127.0.0.1',
    remotePort: 50000,
    localAddress: '127.0.0.1',
    localPort: 5055,
    state: 'closed',
    openedAt: 1,
    closedAt: 2,
    closeReason: 'end',
    reads: 1,
    bytesRead: 21,
    replies: 1,
    bytesReplied: 12,
    writes: 3,
    bytesWritten: 21,
    ...over,
  }) as Connection;

describe('wireGoneText', () => {
  it('says a closed connection with nothing held left the store, with its exact counters', () => {
    expect(wireGoneText(conn({}), emptyWire(4))).toBe(
      'The segments and events of #4 are not held here: a page gets the latest 2,000 events when it opens and all that follow, and the server’s store keeps the latest 20,000 (New session empties it). Its counters are exact: 3 writes (21 B), 1 read (21 B), 1 reply (12 B).',
    );
  });

  it('leaves out the writes of an outside client, which it never sees', () => {
    expect(wireGoneText(conn({ origin: 'external', writes: 0, bytesWritten: 0, reads: 2, bytesRead: 2048, replies: 2 }), emptyWire(4))).toBe(
      'The segments and events of #4 are not held here: a page gets the latest 2,000 events when it opens and all that follow, and the server’s store keeps the latest 20,000 (New session empties it). Its counters are exact: 2 reads (2.0 KiB), 2 replies (12 B).',
    );
  });

  it('counts a late sample or the close event alone as nothing held', () => {
    const w = emptyWire(4);
    w.samples.push({} as never);
    w.close = {} as never;
    expect(wireGoneText(conn({}), w)).toMatch(/^The segments and events of #4 are not held here/);
  });

  it('says the start is gone when later segments are held but the open event is not', () => {
    const w = emptyWire(4);
    w.segments.push({} as never);
    expect(wireGoneText(conn({}), w)).toBe(
      'The start of #4 is not held here (it came before the events this page got, left the event store, or was summarised under load); what is left is drawn. Its counters are exact: 3 writes (21 B), 1 read (21 B), 1 reply (12 B).',
    );
  });

  it('says nothing while the connection is held from its start, or of a young open connection', () => {
    const w = emptyWire(4);
    w.open = {} as never;
    expect(wireGoneText(conn({}), w)).toBeNull();
    expect(wireGoneText(conn({ state: 'open', reads: 0, writes: 0, replies: 0 }), emptyWire(4))).toBeNull();
    expect(wireGoneText(null, emptyWire(0))).toBeNull();
  });
});
