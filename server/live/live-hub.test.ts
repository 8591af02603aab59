// The live stream over a real WebSocket: snapshot, batches, bad messages, and a subscriber that stalls.
import { afterEach, describe, expect, it } from 'vitest';
import type { BatchMessage, ServerMessage, SnapshotMessage } from '../../shared/live.ts';
import type { Tcpscope } from '../app.ts';
import { connectTcp, json, startTestScope, streamUntilLagging, WsClient } from '../../test/helpers.ts';

let scope: Tcpscope;
afterEach(async () => {
  await scope.close();
});

const isSnapshot = (m: ServerMessage): m is SnapshotMessage => m.type === 'snapshot';

describe('live hub', () => {
  it('sends a snapshot, then the events of a burst in batches', async () => {
    scope = await startTestScope();
    await json(scope, 'PATCH', '/api/config', { bufferSize: 7 });
    const ws = await WsClient.open(scope);
    const snapshot = await ws.waitFor(isSnapshot);
    expect(snapshot.config.bufferSize).toBe(7);
    expect(snapshot.events.map((e) => e.kind)).toEqual(['config']);
    const { body } = await json<{ connId: number }>(scope, 'POST', '/api/bursts', {});
    const closed = await ws.waitFor(
      (m): m is BatchMessage => m.type === 'batch' && m.events.some((e) => e.kind === 'close' && e.connId === body.connId),
    );
    expect(closed.connections.find((c) => c.id === body.connId)).toMatchObject({ state: 'closed', bytesRead: 21, reads: 3 });
    const events = ws.events().filter((e) => e.connId === body.connId);
    expect(events.filter((e) => e.kind === 'read').map((e) => e.kind === 'read' && e.hex)).toEqual([
      '48 65 6C 6C 6F 31 0A',
      '48 65 6C 6C 6F 32 0A',
      '48 65 6C 6C 6F 33 0A',
    ]);
    expect(events.filter((e) => e.kind === 'write')).toHaveLength(3);
    expect(events.filter((e) => e.kind === 'reply').map((e) => e.kind === 'reply' && e.length)).toEqual([11, 11, 11]);
    const seqs = ws.events().map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    ws.close();
  });

  it('past the event detail budget, sends a chunk as a count in `summarised` and its connection with exact counters', async () => {
    // Three chunk events in detail, then none: the burst's 3 writes, 3 reads and 3 replies are 3 events and 6 counts.
    scope = await startTestScope({ eventDetail: { perSec: 0, burst: 3 } });
    await json(scope, 'PATCH', '/api/config', { bufferSize: 7 });
    const ws = await WsClient.open(scope);
    await ws.waitFor(isSnapshot);
    const { body } = await json<{ connId: number }>(scope, 'POST', '/api/bursts', {});
    const closed = await ws.waitFor(
      (m): m is BatchMessage => m.type === 'batch' && m.events.some((e) => e.kind === 'close' && e.connId === body.connId),
    );
    const batches = ws.messages.filter((m): m is BatchMessage => m.type === 'batch');
    expect(batches.reduce((n, b) => n + (b.summarised ?? 0), 0)).toBe(6);
    expect(closed.connections.find((c) => c.id === body.connId)).toMatchObject({ reads: 3, bytesRead: 21, writes: 3, replies: 3, eventsSummarised: 6 });
    const chunks = ws.events().filter((e) => e.connId === body.connId && (e.kind === 'write' || e.kind === 'read' || e.kind === 'reply'));
    expect(chunks).toHaveLength(3);
    // The summarised chunks were numbered: the close comes 6 seqs later than the events the stream holds suggest.
    const seqs = ws.events().filter((e) => e.connId === body.connId).map((e) => e.seq);
    expect(seqs.at(-1)! - seqs[0]! + 1).toBe(seqs.length + 6);
    ws.close();
  });

  it('answers a bad message with an error naming it, and keeps the subscriber', async () => {
    scope = await startTestScope();
    const ws = await WsClient.open(scope);
    await ws.waitFor(isSnapshot);
    ws.ws.send('{"type":"launch"}');
    const err = await ws.waitFor((m) => m.type === 'error');
    expect(err).toMatchObject({ type: 'error', message: expect.stringContaining('type must be one of resync, ping') });
    ws.ws.send('not json');
    const err2 = await ws.waitFor((m) => m.type === 'error' && m.message.includes('JSON'), ws.messages.length);
    expect(err2.type).toBe('error');
    ws.ws.send(JSON.stringify({ type: 'ping', id: 7 }));
    expect(await ws.waitFor((m) => m.type === 'pong')).toEqual({ type: 'pong', id: 7 });
    const before = ws.messages.length;
    ws.ws.send(JSON.stringify({ type: 'resync' }));
    await ws.waitFor(isSnapshot, before);
    ws.close();
  });

  it('tells a stalled subscriber what it missed and resyncs it, while others and the counters go on', async () => {
    scope = await startTestScope({ maxSubscriberBufferedBytes: 64 * 1024 });
    const stalled = await WsClient.open(scope);
    await stalled.waitFor(isSnapshot);
    const healthy = await WsClient.open(scope);
    await healthy.waitFor(isSnapshot);
    stalled.ws.pause(); // stop reading: the server's send buffer for it fills up

    const socket = await connectTcp(scope.tcpPort);
    socket.resume();
    const sent = await streamUntilLagging(scope, socket, healthy);
    expect(scope.hub.laggingCount).toBe(1);
    const conn = scope.registry.list()[0]!;
    expect(conn.bytesRead).toBe(sent);

    const from = stalled.messages.length;
    stalled.ws.resume();
    const missed = await stalled.waitFor((m) => m.type === 'missed', from);
    expect(missed.type === 'missed' && missed.count).toBeGreaterThan(0);
    const resync = await stalled.waitFor(isSnapshot, from);
    expect(resync.connections.find((c) => c.id === conn.id)?.bytesRead).toBe(sent);
    // The healthy subscriber was never cut off: its last batch had exact totals.
    const lastHealthy = await healthy.waitFor(
      (m): m is BatchMessage => m.type === 'batch' && m.connections.some((c) => c.id === conn.id && c.bytesRead === sent),
    );
    expect(lastHealthy.type).toBe('batch');
    expect(healthy.messages.some((m) => m.type === 'missed')).toBe(false);
    socket.destroy();
    stalled.close();
    healthy.close();
  });
});
