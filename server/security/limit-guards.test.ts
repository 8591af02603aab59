// Each limit, hit for real: the refusal is clear (status and message naming the limit and its flag),
// counted in GET /api/limits, and leaves everything else working.
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { LimitStatus } from '../../shared/security.ts';
import type { Tcpscope } from '../app.ts';
import type { StoredEvent } from '../events/stored-event.ts';
import { connectTcp, json, nextEvent, startTestScope } from '../../test/helpers.ts';
import { closed, httpRequest, jsonOf, wsConnect } from '../../test/raw-clients.ts';
import WebSocket from 'ws';

let scope: Tcpscope | undefined;
afterEach(async () => {
  await scope?.close();
  scope = undefined;
});

async function refused(s: Tcpscope): Promise<LimitStatus['refused']> {
  return (await json<LimitStatus>(s, 'GET', '/api/limits')).body.refused;
}

function wsUrl(s: Tcpscope): string {
  return `${s.httpUrl.replace('http', 'ws')}/ws`;
}

/**
 * What becomes of one subscriber: 'kept' once it hears its snapshot, the close code if it is turned
 * away after the upgrade, or the HTTP status if the upgrade is refused.
 */
function subscribe(s: Tcpscope): { ws: WebSocket; fate: Promise<'kept' | number> } {
  const ws = new WebSocket(wsUrl(s));
  const fate = new Promise<'kept' | number>((resolve) => {
    ws.once('message', () => resolve('kept'));
    ws.once('close', (code: number) => resolve(code));
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    ws.on('error', () => {});
  });
  return { ws, fate };
}

describe('limits', () => {
  it('closes echo connections beyond --max-connections at once, logs them as close/limit and counts them', async () => {
    const s = (scope = await startTestScope({ security: { limits: { maxConnections: 2 } } }));
    const held = [await connectTcp(s.tcpPort), await connectTcp(s.tcpPort)];
    const limited = nextEvent(s, (e: StoredEvent) => e.kind === 'close' && e.reason === 'limit');
    const extra = await connectTcp(s.tcpPort);
    const extraClosed = once(extra, 'close');
    extra.resume();
    await limited;
    await extraClosed;
    expect((await refused(s)).connections).toBe(1);
    // The held ones still work.
    held[0]!.write('hi');
    const [reply] = (await once(held[0]!, 'data')) as [Buffer];
    expect(reply.toString()).toBe('Received: 2');
    for (const sock of held) sock.destroy();
  });

  it('refuses live subscribers beyond --max-subscribers with 503, and keeps exactly that many when they race', async () => {
    const s = (scope = await startTestScope({ security: { limits: { maxSubscribers: 2 } } }));
    const attempts = Array.from({ length: 6 }, () => subscribe(s));
    const fates = await Promise.all(attempts.map((a) => a.fate));
    expect(fates.filter((f) => f === 'kept')).toHaveLength(2);
    expect(fates.every((f) => f === 'kept' || f === 503 || f === 1013)).toBe(true);
    expect((await refused(s)).subscribers).toBe(4);
    const late = await wsConnect(wsUrl(s));
    expect(late).toMatchObject({ status: 503 });
    if ('body' in late) expect(JSON.parse(late.body).message).toBe('live subscribers: at most 2 at once (--max-subscribers)');
    for (const a of attempts) a.ws.close();
  });

  it('closes a WebSocket that sends more than --max-ws-message with 1009, and answers smaller ones', async () => {
    const s = (scope = await startTestScope({ security: { limits: { maxWsMessageBytes: 1024 } } }));
    const opened = await wsConnect(wsUrl(s));
    if (!('ws' in opened)) throw new Error('refused');
    const { ws } = opened;
    const replies: string[] = [];
    ws.on('message', (d) => replies.push(d.toString()));
    const errorReply = new Promise<void>((resolve) => ws.on('message', (d) => d.toString().includes('"error"') && resolve()));
    ws.send('x'.repeat(1000));
    await errorReply;
    const done = closed(ws);
    ws.send('x'.repeat(2000));
    expect((await done).code).toBe(1009);
    expect((await refused(s)).wsMessage).toBe(1);
    expect((await json(s, 'GET', '/api/config')).status).toBe(200);
  });

  it('refuses a body over --max-body with 413 naming the limit, with or without Content-Length', async () => {
    const s = (scope = await startTestScope({ security: { limits: { maxBodyBytes: 2048 } } }));
    const before = s.config.get();
    const body = JSON.stringify({ bufferSize: 7, pad: 'x'.repeat(3000) });
    for (const chunked of [false, true]) {
      const res = await httpRequest(`${s.httpUrl}/api/config`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body, chunked });
      expect(res.status).toBe(413);
      expect(jsonOf(res)).toEqual({ statusCode: 413, error: 'Payload Too Large', message: 'body: at most 2048 bytes (--max-body)' });
    }
    expect(s.config.get()).toEqual(before);
    expect((await refused(s)).body).toBe(2);
  });

  it('refuses bursts beyond --max-bursts in flight with 503', async () => {
    const s = (scope = await startTestScope({ security: { limits: { maxBursts: 2 } } }));
    // While the echo server reads nothing, a burst cannot finish: it stays in flight.
    await json(s, 'PATCH', '/api/config', { paused: true });
    const first = await json<{ connId: number }>(s, 'POST', '/api/bursts', { count: 1 });
    const second = await json<{ connId: number }>(s, 'POST', '/api/bursts', { count: 1 });
    expect([first.status, second.status]).toEqual([202, 202]);
    const third = await json<{ message: string }>(s, 'POST', '/api/bursts', { count: 1 });
    expect(third.status).toBe(503);
    expect(third.body.message).toBe('bursts: at most 2 in flight at once (--max-bursts); wait for one to finish');
    expect((await refused(s)).bursts).toBe(1);
    const finished = [first.body.connId, second.body.connId].map((id) =>
      nextEvent(s, (e: StoredEvent) => e.kind === 'close' && e.connId === id),
    );
    await json(s, 'PATCH', '/api/config', { paused: false });
    await Promise.all(finished);
  });

  it('refuses bursts beyond --burst-rate per minute with 429 and Retry-After; bad requests use up nothing', async () => {
    const s = (scope = await startTestScope({ security: { limits: { burstRatePerMinute: 3 } } }));
    expect((await json(s, 'POST', '/api/bursts', { count: 0 })).status).toBe(400);
    for (let i = 0; i < 3; i++) expect((await json(s, 'POST', '/api/bursts', { count: 1 })).status).toBe(202);
    const res = await httpRequest(`${s.httpUrl}/api/bursts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"count":1}' });
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(jsonOf(res).message).toMatch(/^bursts: at most 3 per minute \(--burst-rate\); retry in \d+ s$/);
    expect(await refused(s)).toMatchObject({ burstRate: 1, bursts: 0 });
  });

  it('reports the limits in force', async () => {
    const s = (scope = await startTestScope({ security: { limits: { maxBursts: 4 } } }));
    const status = (await json<LimitStatus>(s, 'GET', '/api/limits')).body;
    expect(status.limits).toEqual({
      maxConnections: 1000,
      maxSubscribers: 50,
      maxWsMessageBytes: 65536,
      maxBodyBytes: 1048576,
      maxBursts: 4,
      burstRatePerMinute: 600,
      maxBurstWrites: 1_000_000,
      maxBurstBytes: 64 * 1024 * 1024,
      maxResponseBytes: 128 * 1024 * 1024,
      maxFramingBytes: 64 * 1024 * 1024,
      maxHttpConnections: 512,
      headerTimeoutSeconds: 10,
    });
  });
});
