// The HTTP API over a real server: happy paths and every kind of bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../shared/connections.ts';
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

/** Resolves once connection `id` has closed, whether that already happened or is still to come. */
async function closedConn(id: number): Promise<void> {
  const isClose = (e: StoredEvent) => e.kind === 'close' && e.connId === id;
  const waiting = nextEvent(scope, isClose);
  if (scope.recorder.store.query({ kind: 'close', connId: id, limit: 1 }).length > 0) return;
  await waiting;
}

describe('config', () => {
  it('reads and patches the config live', async () => {
    expect((await json(scope, 'GET', '/api/config')).body).toEqual({
      bufferSize: 1024,
      replyMode: 'ack',
      paused: false,
      framing: { mode: 'raw' },
    });
    const patched = await json(scope, 'PATCH', '/api/config', { bufferSize: 7 });
    expect(patched).toMatchObject({ status: 200, body: { bufferSize: 7, replyMode: 'ack' } });
    expect((await json(scope, 'PATCH', '/api/config', { replyMode: 'echo' })).body).toMatchObject({ bufferSize: 7, replyMode: 'echo' });
    const configEvents = scope.recorder.store.query({ kind: 'config', limit: 10 });
    expect(configEvents.length).toBe(2);
    await json(scope, 'PATCH', '/api/config', { bufferSize: 1024, replyMode: 'ack' });
  });

  it.each([
    [{ bufferSize: 0 }, 'body.bufferSize: must be an integer from 1 to 65536'],
    [{ bufferSize: 65537 }, 'body.bufferSize: must be an integer from 1 to 65536'],
    [{ bufferSize: 7.5 }, 'body.bufferSize: must be an integer from 1 to 65536'],
    [{ bufferSize: '7' }, 'body.bufferSize: must be an integer from 1 to 65536'],
    [{ replyMode: 'loud' }, 'body.replyMode: must be one of ack, echo, none'],
    [{ paused: 'yes' }, 'body.paused: must be true or false'],
    [{ colour: 'red' }, 'body.colour: unknown field'],
    [{}, 'give at least one of bufferSize, replyMode, paused, framing'],
    [[1, 2], 'body'],
    ['not json', ''],
  ])('refuses %j with a 400 naming the field, config unchanged', async (body, message) => {
    const before = (await json(scope, 'GET', '/api/config')).body;
    const res = await json<{ message: string; statusCode: number }>(scope, 'PATCH', '/api/config', body);
    expect(res.status).toBe(400);
    expect(res.body.statusCode).toBe(400);
    expect(res.body.message).toContain(message);
    expect((await json(scope, 'GET', '/api/config')).body).toEqual(before);
  });
});

describe('bursts', () => {
  it('sends the tutorial three writes by default and they merge into one read', async () => {
    const res = await json<{ connId: number }>(scope, 'POST', '/api/bursts');
    expect(res.status).toBe(202);
    const id = res.body.connId;
    await closedConn(id);
    const all = (await json<TcpEvent[]>(scope, 'GET', `/api/events?connId=${id}`)).body;
    expect(all.filter((e) => e.kind === 'write').map((e) => e.kind === 'write' && e.hex)).toEqual([
      '48 65 6C 6C 6F 31 0A',
      '48 65 6C 6C 6F 32 0A',
      '48 65 6C 6C 6F 33 0A',
    ]);
    expect(all.filter((e) => e.kind === 'read').map((e) => e.kind === 'read' && e.length)).toEqual([21]);
    expect(all.at(-1)).toMatchObject({ kind: 'close', reason: 'end' });
    const conn = (await json<Connection[]>(scope, 'GET', '/api/connections')).body.find((c) => c.id === id);
    expect(conn).toMatchObject({ origin: 'builtin', state: 'closed', writes: 3, bytesWritten: 21, reads: 1, bytesRead: 21, bytesReplied: 12 });
  });

  it('sends writes apart with an interval, so they arrive as separate reads', async () => {
    const res = await json<{ connId: number }>(scope, 'POST', '/api/bursts', { count: 2, payload: 'ping {n}', intervalMs: 30 });
    const id = res.body.connId;
    await closedConn(id);
    const reads = (await json<TcpEvent[]>(scope, 'GET', `/api/events?connId=${id}&kind=read`)).body;
    expect(reads.reduce((n, e) => n + (e.kind === 'read' ? e.length : 0), 0)).toBe(12);
    const writes = (await json<TcpEvent[]>(scope, 'GET', `/api/events?connId=${id}&kind=write`)).body;
    expect(writes.map((e) => e.kind === 'write' && e.hex)).toEqual(['70 69 6E 67 20 31', '70 69 6E 67 20 32']);
  });

  it.each([
    [{ count: 0 }, 'body.count: must be an integer from 1 to 1000'],
    [{ count: 1001 }, 'body.count: must be an integer from 1 to 1000'],
    [{ intervalMs: -1 }, 'body.intervalMs: must be an integer from 0 to 10000'],
    [{ intervalMs: 10001 }, 'body.intervalMs: must be an integer from 0 to 10000'],
    [{ payload: 'é'.repeat(32769) }, 'body.payload: must be at most 65536 bytes of UTF-8'],
    [{ payload: 5 }, 'body.payload: must be a string'],
    [{ noDelay: 'no' }, 'body.noDelay: must be true or false'],
    [{ extra: 1 }, 'body.extra: unknown field'],
  ])('refuses a burst with %o', async (body, message) => {
    const before = scope.registry.list().length;
    const res = await json<{ message: string }>(scope, 'POST', '/api/bursts', body);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(message);
    expect(scope.registry.list().length).toBe(before);
  });
});

describe('events and connections', () => {
  it('filters by kind and connId and limits, oldest first', async () => {
    const all = (await json<TcpEvent[]>(scope, 'GET', '/api/events?limit=10000')).body;
    expect(all.length).toBeGreaterThan(3);
    const seqs = all.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const two = (await json<TcpEvent[]>(scope, 'GET', '/api/events?kind=write&limit=2')).body;
    expect(two).toHaveLength(2);
    expect(two.every((e) => e.kind === 'write')).toBe(true);
    expect(two.at(-1)!.seq).toBe(all.filter((e) => e.kind === 'write').at(-1)!.seq);
  });

  it.each([
    ['limit=0', 'query.limit: must be an integer from 1 to 10000'],
    ['limit=10001', 'query.limit: must be an integer from 1 to 10000'],
    ['limit=ten', 'query.limit: must be an integer from 1 to 10000'],
    ['kind=packet', 'query.kind: must be one of'],
    ['connId=-1', 'query.connId: must be a connection id, an integer from 0 to 4294967295'],
    ['colour=red', 'query.colour: unknown field'],
  ])('refuses ?%s', async (query, message) => {
    const res = await json<{ message: string }>(scope, 'GET', `/api/events?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(message);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await json<{ statusCode: number }>(scope, 'GET', '/api/nothing-here');
    expect(res).toMatchObject({ status: 404, body: { statusCode: 404 } });
  });
});
