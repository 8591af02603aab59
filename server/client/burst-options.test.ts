// The built-in client's harder options over the real API and sockets: framing (the server's or another),
// pieces of k bytes or seeded random sizes, gaps, replies left unread, and every bad option refused.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config.ts';
import type { TcpEvent } from '../../shared/events.ts';
import type { Tcpscope } from '../app.ts';
import type { StoredEvent } from '../events/stored-event.ts';
import { json, nextEvent, startTestScope } from '../../test/helpers.ts';

let scope: Tcpscope;
beforeAll(async () => {
  scope = await startTestScope();
});
afterAll(async () => {
  await scope.close();
});
beforeEach(() => {
  scope.config.apply(DEFAULT_CONFIG);
});

/** Sends a burst and resolves with its connection's events once it has closed. */
async function burst(body: unknown): Promise<TcpEvent[]> {
  let id = -1;
  const early: StoredEvent[] = [];
  const closed = nextEvent(scope, (e) => {
    early.push(e);
    return e.kind === 'close' && e.connId === id;
  });
  const res = await json<{ connId: number }>(scope, 'POST', '/api/bursts', body);
  expect(res.status).toBe(202);
  id = res.body.connId;
  if (!early.some((e) => e.kind === 'close' && e.connId === id)) await closed;
  return (await json<TcpEvent[]>(scope, 'GET', `/api/events?connId=${id}&limit=10000`)).body;
}
const hexOf = (events: TcpEvent[], kind: 'write' | 'message') =>
  events.flatMap((e) => (e.kind === kind ? [Buffer.from(e.hex.replaceAll(' ', ''), 'hex').toString('latin1')] : []));

describe('burst options', () => {
  it('keeps the old defaults: payloads as they are, one write each', async () => {
    const events = await burst({});
    expect(hexOf(events, 'write')).toEqual(['Hello1\n', 'Hello2\n', 'Hello3\n']);
  });

  it('frames each message as asked and cuts it into pieces of k bytes', async () => {
    const events = await burst({ count: 2, payload: 'abcde{n}', framing: { mode: 'length-prefix', prefixBytes: 1 }, split: { mode: 'fixed', size: 3 } });
    expect(hexOf(events, 'write')).toEqual(['\x06ab', 'cde', '1', '\x06ab', 'cde', '2']);
  });

  it("follows the server's framing, so the server cuts exactly the messages sent", async () => {
    scope.config.apply({ framing: { mode: 'delimiter', delimiter: '||', maxMessageBytes: 100 } });
    const events = await burst({ count: 3, payload: 'm{n}', framing: { mode: 'server' }, split: { mode: 'fixed', size: 1 }, chunkGapMs: 1 });
    expect(hexOf(events, 'write').join('')).toBe('m1||m2||m3||');
    expect(hexOf(events, 'message')).toEqual(['m1', 'm2', 'm3']);
  });

  it('sends a framing the server does not use when asked, and the server cuts by its own', async () => {
    scope.config.apply({ framing: { mode: 'fixed', size: 4 } });
    const events = await burst({ count: 2, payload: 'ab', framing: { mode: 'delimiter', delimiter: '\n' } });
    // 6 bytes cut 4 at a time: one message, and two bytes waiting for the rest of theirs.
    expect(hexOf(events, 'message')).toEqual(['ab\na']);
  });

  it('cuts the same way for the same seed, and differently for another', async () => {
    const chaos = (seed: number) => ({ count: 4, payload: 'Hello{n}\n', split: { mode: 'random', seed, minBytes: 1, maxBytes: 5 } });
    const sizes = async (seed: number) => (await burst(chaos(seed))).flatMap((e) => (e.kind === 'write' ? [e.length] : []));
    const a = await sizes(42);
    expect(await sizes(42)).toEqual(a);
    expect(a.reduce((x, y) => x + y, 0)).toBe(28);
    expect(await sizes(43)).not.toEqual(a);
  });

  it('leaves the replies unread when asked, so the close is a reset', async () => {
    scope.config.apply({ bufferSize: 7 });
    const events = await burst({ leaveRepliesUnread: true });
    expect(events.filter((e) => e.kind === 'reply')).toHaveLength(3);
    expect(events.at(-1)).toMatchObject({ kind: 'close', reason: 'reset' });
  });

  it.each([
    [{ framing: { mode: 'lines' } }, 'body.framing.mode: mode must be one of server, raw, delimiter, fixed, length-prefix'],
    [{ framing: { mode: 'fixed', size: 0 } }, 'body.framing.size: must be an integer from 1 to 16777216'],
    [{ framing: { mode: 'length-prefix', prefixBytes: 3 } }, 'body.framing.prefixBytes: must be 1, 2 or 4'],
    [{ framing: { mode: 'delimiter', delimiter: '' } }, 'body.framing.delimiter: must not be empty'],
    [{ split: { mode: 'fixed', size: 0 } }, 'body.split.size: must be an integer from 1 to 65536'],
    [{ split: { mode: 'random', seed: 1.5 } }, 'body.split.seed: must be an integer from 0 to 4294967295'],
    [{ split: { mode: 'random', seed: 1, minBytes: 9, maxBytes: 2 } }, 'body.split.minBytes: minBytes must not exceed maxBytes'],
    [{ chunkGapMs: -1 }, 'body.chunkGapMs: must be an integer from 0 to 10000'],
    [{ leaveRepliesUnread: 'yes' }, 'body.leaveRepliesUnread: must be true or false'],
    [{ payload: 'x'.repeat(300), framing: { mode: 'length-prefix', prefixBytes: 1 } }, 'body.payload: a 1-byte length prefix holds at most 255 bytes; write 1 has 300'],
  ])('refuses %j with a 400 naming the field', async (body, message) => {
    const before = scope.registry.list().length;
    const res = await json<{ message: string }>(scope, 'POST', '/api/bursts', body);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(message);
    expect(scope.registry.list().length).toBe(before);
  });
});
