// POST /api/session/reset on a real tcpscope: the store and the closed connections go, an open
// connection keeps working at its offsets, every live page gets a snapshot marked `reset`, and the
// route answers bad input and foreign origins as every changing route does.
import { afterEach, describe, expect, it } from 'vitest';
import { SessionSchema } from '../../shared/session.ts';
import { SessionResetSchema } from '../../shared/session-reset.ts';
import type { SnapshotMessage } from '../../shared/live.ts';
import type { Connection } from '../../shared/connections.ts';
import type { Tcpscope } from '../app.ts';
import { connectTcp, json, nextEvent, startTestScope, streamUntilLagging, WsClient } from '../../test/helpers.ts';

let scope: Tcpscope | undefined;
afterEach(async () => {
  await scope?.close();
  scope = undefined;
});

async function session(s: Tcpscope) {
  return SessionSchema.parse(await (await fetch(`${s.httpUrl}/api/session.json`)).json());
}

describe('POST /api/session/reset', () => {
  it('clears the store and the closed connections; an open connection goes on at its offsets', async () => {
    const s = (scope = await startTestScope());
    // A closed connection (a burst) and an open one that has sent a line.
    const burstClosed = nextEvent(s, (e) => e.kind === 'close', 'the burst connection to close');
    const { body: burst } = await json<{ connId: number }>(s, 'POST', '/api/bursts', { count: 3 });
    await burstClosed;
    const open = await connectTcp(s.tcpPort);
    const firstRead = nextEvent(s, (e) => e.kind === 'read' && e.connId !== burst.connId, 'the open connection’s first read');
    open.write('before\n');
    const before = await firstRead;
    const seqsBefore = (await session(s)).events.map((e) => e.seq);
    expect(seqsBefore.length).toBeGreaterThan(5);

    const ws = await WsClient.open(s);
    await ws.waitFor((m) => m.type === 'snapshot', 0, 'the first snapshot');
    const from = ws.messages.length;
    const res = await json(s, 'POST', '/api/session/reset');
    expect(res.status).toBe(200);
    const answer = SessionResetSchema.parse(res.body);
    // The socket sampler may have recorded a sample or two since the export above.
    expect(answer.eventsCleared).toBeGreaterThanOrEqual(seqsBefore.length);
    expect(answer.connectionsCleared).toBe(1);
    expect(answer.connectionsKept).toBe(1);

    // Every page hears of it: a snapshot marked reset, with nothing of the old session.
    const snap = (await ws.waitFor((m) => m.type === 'snapshot' && m.reset === true, from, 'a snapshot marked reset')) as SnapshotMessage;
    expect(snap.events).toEqual([]);
    expect(snap.connections.map((c) => c.id)).toEqual([before.connId]);
    expect(snap.nextSeq).toBe(answer.nextSeq);

    const conns = (await json<Connection[]>(s, 'GET', '/api/connections')).body;
    expect(conns.map((c) => c.id)).toEqual([before.connId]);
    // Its counters stay exact: a connection's totals are its lifetime's.
    expect(conns[0]).toMatchObject({ reads: 1, bytesRead: 7 });

    // The open connection still reads and replies, at the offset after its first line.
    const reply = new Promise<string>((resolve) => open.once('data', (d) => resolve(d.toString())));
    const nextRead = nextEvent(s, (e) => e.kind === 'read' && e.connId === before.connId, 'the read after the reset');
    open.write('after\n');
    const after = await nextRead;
    expect(after).toMatchObject({ offset: 7, length: 6 });
    expect(after.seq).toBeGreaterThan(Math.max(...seqsBefore));
    // The first reply (to "before") may still be in the socket: both arrive as "Received: N".
    expect(await reply).toMatch(/^Received: /);

    // The export holds only what followed.
    const doc = await session(s);
    expect(doc.events.length).toBeGreaterThan(0);
    for (const e of doc.events) expect(seqsBefore).not.toContain(e.seq);
    expect(doc.events.some((e) => e.seq === after.seq)).toBe(true);
    expect(doc.connections.map((c) => c.id)).toEqual([before.connId]);
    const csv = await (await fetch(`${s.httpUrl}/api/session.csv`)).text();
    expect(csv.trim().split('\r\n')).toHaveLength(1 + doc.events.filter((e) => ['read', 'write', 'reply', 'message'].includes(e.kind)).length);
    ws.close();
    open.destroy();
  });

  it('marks the snapshot a lagging subscriber gets once it drains, and drops the batch of the old session', async () => {
    const s = (scope = await startTestScope({ maxSubscriberBufferedBytes: 64 * 1024 }));
    const stalled = await WsClient.open(s);
    await stalled.waitFor((m) => m.type === 'snapshot', 0, 'the stalled subscriber’s first snapshot');
    const healthy = await WsClient.open(s);
    await healthy.waitFor((m) => m.type === 'snapshot', 0, 'the healthy subscriber’s first snapshot');
    stalled.ws.pause(); // stop reading: the server's send buffer for it fills up
    const socket = await connectTcp(s.tcpPort);
    socket.resume();
    await streamUntilLagging(s, socket, healthy);
    expect(s.hub.laggingCount).toBe(1);

    const from = { stalled: stalled.messages.length, healthy: healthy.messages.length };
    const { body } = await json<{ nextSeq: number }>(s, 'POST', '/api/session/reset');
    const fresh = (await healthy.waitFor((m) => m.type === 'snapshot' && m.reset === true, from.healthy, 'the healthy one’s reset snapshot')) as SnapshotMessage;
    expect(fresh.events.every((e) => e.seq >= body.nextSeq)).toBe(true);

    stalled.ws.resume();
    const resync = (await stalled.waitFor((m) => m.type === 'snapshot' && m.reset === true, from.stalled, 'the stalled one’s reset snapshot')) as SnapshotMessage;
    expect(resync.events.every((e) => e.seq >= body.nextSeq)).toBe(true);
    expect(resync.connections.map((c) => c.id)).toEqual([s.registry.list()[0]!.id]);
    // Nothing of the old session followed the healthy one's reset snapshot (a batch gathered before the
    // reset would have gone out within a batch interval, long before the stalled one drained).
    const later = healthy.messages.slice(healthy.messages.indexOf(fresh) + 1);
    for (const m of later) if (m.type === 'batch') for (const e of m.events) expect(e.seq).toBeGreaterThanOrEqual(body.nextSeq);
    socket.destroy();
    stalled.close();
    healthy.close();
  });

  it('answers a bad body naming the field, and a foreign origin with 403, changing nothing', async () => {
    const s = (scope = await startTestScope());
    const closed = nextEvent(s, (e) => e.kind === 'close', 'the burst connection to close');
    await json(s, 'POST', '/api/bursts', { count: 1 });
    await closed;
    const held = s.recorder.store.length;

    const bad = await json<{ message: string }>(s, 'POST', '/api/session/reset', { keep: true });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('body.keep: unknown field');

    const foreign = await fetch(`${s.httpUrl}/api/session/reset`, { method: 'POST', headers: { origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(s.recorder.store.length).toBe(held);
    expect((await json<Connection[]>(s, 'GET', '/api/connections')).body).toHaveLength(1);

    // An empty object is as good as no body.
    const ok = await json(s, 'POST', '/api/session/reset', {});
    expect(ok.status).toBe(200);
    expect(s.recorder.store.length).toBe(0);
  });
});
