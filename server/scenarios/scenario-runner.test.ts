// Every guided scenario over the real API, sockets and echo server: its events must show what its caption says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TcpEvent } from '../../shared/events.ts';
import { SCENARIO_NAMES, SCENARIOS, type ScenarioRun } from '../../shared/scenarios.ts';
import type { Tcpscope } from '../app.ts';
import { json, startTestScope } from '../../test/helpers.ts';
import { OVERSIZE_PAYLOAD } from './catalogue.ts';

let scope: Tcpscope;
beforeAll(async () => {
  scope = await startTestScope();
});
afterAll(async () => {
  await scope.close();
});

type Ev<K extends TcpEvent['kind']> = Extract<TcpEvent, { kind: K }>;

async function run(name: string): Promise<{ result: ScenarioRun; events: (connId: number) => Promise<TcpEvent[]> }> {
  const res = await json<ScenarioRun>(scope, 'POST', `/api/scenarios/${name}`);
  expect(res.status).toBe(200);
  const events = async (connId: number) => (await json<TcpEvent[]>(scope, 'GET', `/api/events?connId=${connId}&limit=10000`)).body;
  return { result: res.body, events };
}
const ofKind = <K extends TcpEvent['kind']>(events: TcpEvent[], kind: K) => events.filter((e): e is Ev<K> => e.kind === kind);
const lengths = (events: TcpEvent[], kind: 'read' | 'write' | 'reply' | 'message') => ofKind(events, kind).map((e) => e.length);
const ascii = (hex: string) => Buffer.from(hex.replaceAll(' ', ''), 'hex').toString('latin1');
const closeOf = (events: TcpEvent[]) => ofKind(events, 'close')[0];

describe('scenarios', () => {
  it('lists every scenario with its title and a two-sentence caption', async () => {
    const res = await json<{ name: string; title: string; caption: string }[]>(scope, 'GET', '/api/scenarios');
    expect(res.body.map((s) => s.name)).toEqual(SCENARIO_NAMES);
    for (const s of res.body) {
      expect(s.title.length).toBeGreaterThan(0);
      expect(s.caption.split(/(?<=[.!?])\s+(?=[A-Z])/)).toHaveLength(2);
    }
  });

  it("single-write: the tutorial's one write is one read of 7, answered \"Received: 7\"", async () => {
    const { result, events } = await run('single-write');
    expect(result).toMatchObject({ name: 'single-write', caption: SCENARIOS[0].caption });
    expect(result.connIds).toHaveLength(1);
    const all = await events(result.connIds[0]!);
    expect(lengths(all, 'write')).toEqual([7]);
    expect(lengths(all, 'read')).toEqual([7]);
    expect(ofKind(all, 'reply').map((e) => ascii(e.hex))).toEqual(['Received: 7']);
    expect(closeOf(all)).toMatchObject({ reason: 'end' });
  });

  it('three-writes-merge: three writes of 7 become one read of 21 and one reply', async () => {
    const { result, events } = await run('three-writes-merge');
    const all = await events(result.connIds[0]!);
    expect(lengths(all, 'write')).toEqual([7, 7, 7]);
    expect(lengths(all, 'read')).toEqual([21]);
    expect(ofKind(all, 'reply').map((e) => ascii(e.hex))).toEqual(['Received: 21']);
    expect((await json(scope, 'GET', '/api/config')).body).toMatchObject({ bufferSize: 1024, framing: { mode: 'raw' } });
  });

  it('buffer-7-splits: buffer 7 gives reads of 7, 7, 7', async () => {
    const { result, events } = await run('buffer-7-splits');
    const all = await events(result.connIds[0]!);
    expect(lengths(all, 'read')).toEqual([7, 7, 7]);
    expect(ofKind(all, 'read').map((e) => ascii(e.hex))).toEqual(['Hello1\n', 'Hello2\n', 'Hello3\n']);
    expect((await json(scope, 'GET', '/api/config')).body).toMatchObject({ bufferSize: 7 });
  });

  it('long-message-buffer-7: two 10-byte messages read 7, 7, 6, the middle read straddling both', async () => {
    const { result, events } = await run('long-message-buffer-7');
    const all = await events(result.connIds[0]!);
    expect(lengths(all, 'write')).toEqual([10, 10]);
    expect(lengths(all, 'read')).toEqual([7, 7, 6]);
    expect(ofKind(all, 'read').map((e) => ascii(e.hex))).toEqual(['Greetin', 'g1\nGree', 'ting2\n']);
  });

  it('newline-framing-chaos: random pieces, yet exactly the three lines as messages, each answered with its length', async () => {
    const { result, events } = await run('newline-framing-chaos');
    const all = await events(result.connIds[0]!);
    const writes = lengths(all, 'write');
    expect(writes.length).toBeGreaterThan(3);
    expect(writes.every((n) => n >= 1 && n <= 4)).toBe(true);
    expect(writes.reduce((a, b) => a + b, 0)).toBe(21);
    const messages = ofKind(all, 'message');
    expect(messages.map((m) => ascii(m.hex))).toEqual(['Hello1', 'Hello2', 'Hello3']);
    const readSeqs = new Set(ofKind(all, 'read').map((r) => r.seq));
    for (const m of messages) {
      expect(readSeqs.has(m.firstReadSeq) && readSeqs.has(m.lastReadSeq)).toBe(true);
      expect(m.firstReadSeq).toBeLessThanOrEqual(m.lastReadSeq);
    }
    expect(ofKind(all, 'reply').map((e) => ascii(e.hex))).toEqual(['Received: 6', 'Received: 6', 'Received: 6']);

    // The same seed cuts the same way every time.
    const again = await run('newline-framing-chaos');
    expect(lengths(await again.events(again.result.connIds[0]!), 'write')).toEqual(writes);
  });

  it('length-prefix-oversize: one read cut into three messages; the oversize prefix closes only its own connection', async () => {
    const { result, events } = await run('length-prefix-oversize');
    expect(result.connIds).toHaveLength(2);
    const [good, bad] = await Promise.all(result.connIds.map(events));
    expect(lengths(good!, 'read')).toEqual([24]);
    expect(ofKind(good!, 'message').map((m) => ascii(m.hex))).toEqual(['Hello1', 'Hello2', 'Hello3']);
    expect(closeOf(good!)).toMatchObject({ reason: 'end' });
    expect(ofKind(bad!, 'message')).toEqual([]);
    expect(ofKind(bad!, 'error')).toMatchObject([
      { rule: 'length-prefix-too-large', message: `length prefix announces ${OVERSIZE_PAYLOAD.length} bytes, above the maximum of 64` },
    ]);
    expect(closeOf(bad!)).toMatchObject({ reason: 'protocol' });
  });

  it('close-unread-reset: the server logs a reset, not a clean end', async () => {
    const { result, events } = await run('close-unread-reset');
    const all = await events(result.connIds[0]!);
    expect(lengths(all, 'read')).toEqual([7, 7, 7]);
    expect(ofKind(all, 'reply')).toHaveLength(3);
    expect(closeOf(all)).toMatchObject({ reason: 'reset', code: 'ECONNRESET' });
  });

  it('nagle-on-off: the same one-byte writes on two connections, both reassembled into the same four lines', async () => {
    const { result, events } = await run('nagle-on-off');
    expect(result.connIds).toHaveLength(2);
    // How many reads each gets depends on ACK timing, which a test must not assert; what they carry does not.
    for (const id of result.connIds) {
      const all = await events(id);
      expect(lengths(all, 'write')).toEqual(new Array(4 * 14).fill(1));
      expect(lengths(all, 'read').reduce((a, b) => a + b, 0)).toBe(56);
      expect(ofKind(all, 'read').length).toBeLessThanOrEqual(56);
      expect(ofKind(all, 'message').map((m) => ascii(m.hex))).toEqual([1, 2, 3, 4].map((n) => `Hello${n}, Nagle`));
      expect(closeOf(all)).toMatchObject({ reason: 'end' });
    }
  });

  it('refuses an unknown scenario with a 400 naming the parameter', async () => {
    const res = await json<{ message: string }>(scope, 'POST', '/api/scenarios/nope');
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(`params.name: must be one of ${SCENARIO_NAMES.join(', ')}`);
  });

  it('runs one scenario at a time', async () => {
    const [a, b] = await Promise.all([
      json<{ message: string }>(scope, 'POST', '/api/scenarios/single-write'),
      json<{ message: string }>(scope, 'POST', '/api/scenarios/single-write'),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect([a, b].find((r) => r.status === 409)!.body.message).toContain('still running');
  });
});
