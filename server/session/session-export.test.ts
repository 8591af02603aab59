// GET /api/session.json and /api/session.csv over a real server: the file holds what the server saw and
// reads back, through the same check the page uses, as the same session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TcpEvent } from '../../shared/events.ts';
import { parseSession, type SessionDocument } from '../../shared/session.ts';
import type { Tcpscope } from '../app.ts';
import { json, settleSamples, startTestScope } from '../../test/helpers.ts';
import { hexBytesPerEvent } from './session-export.ts';

let scope: Tcpscope;
beforeAll(async () => {
  scope = await startTestScope({ config: { bufferSize: 512 } });
});
afterAll(async () => {
  await scope.close();
});

async function download(path: string): Promise<{ text: string; headers: Headers; status: number }> {
  const res = await fetch(scope.httpUrl + path);
  return { text: await res.text(), headers: res.headers, status: res.status };
}

describe('session export', () => {
  it('exports config changes, connections and events, and imports back as the same session', async () => {
    const before = await download('/api/session.json');
    const empty = parseSession(before.text);
    expect(empty.ok && empty.session.events).toEqual([]);

    await json(scope, 'POST', '/api/scenarios/three-writes-merge');
    await json(scope, 'POST', '/api/scenarios/newline-framing-chaos');
    await settleSamples(scope);
    const { text, headers, status } = await download('/api/session.json');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('application/json');
    expect(headers.get('content-disposition')).toMatch(/^attachment; filename="tcpscope-session-[\dT-]+\.json"$/);

    const parsed = parseSession(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    const doc: SessionDocument = parsed.session;
    expect(doc).toEqual(JSON.parse(text));
    // Started with buffer 512; the first scenario's config event is in the file, the config before it is not.
    expect(doc.initialConfig.bufferSize).toBe(512);
    expect(doc.config).toEqual((await json(scope, 'GET', '/api/config')).body);
    const stored = (await json<TcpEvent[]>(scope, 'GET', '/api/events?limit=10000')).body;
    expect(doc.events).toEqual(stored);
    const kinds = new Set(doc.events.map((e) => e.kind));
    for (const k of ['config', 'open', 'write', 'read', 'reply', 'message', 'close']) expect(kinds).toContain(k);
    expect(doc.connections.map((c) => c.id).sort()).toEqual((await json<{ id: number }[]>(scope, 'GET', '/api/connections')).body.map((c) => c.id).sort());
  });

  it('exports the reads, writes, replies and messages as CSV', async () => {
    const { text, headers } = await download('/api/session.csv');
    expect(headers.get('content-type')).toContain('text/csv');
    expect(headers.get('content-disposition')).toMatch(/filename="tcpscope-session-[\dT-]+\.csv"/);
    const rows = text.trimEnd().split('\r\n').map((l) => l.split(','));
    expect(rows[0]).toEqual(['seq', 'time', 't_ms', 'conn', 'kind', 'offset', 'length', 'first_read_seq', 'last_read_seq', 'truncated', 'hex']);
    const kinds = new Set(rows.slice(1).map((r) => r[4]));
    expect([...kinds].sort()).toEqual(['message', 'read', 'reply', 'write']);
    const stored = (await json<TcpEvent[]>(scope, 'GET', '/api/events?limit=10000')).body;
    expect(rows.length - 1).toBe(stored.filter((e) => ['read', 'write', 'reply', 'message'].includes(e.kind)).length);
  });

  it('refuses query parameters it does not know', async () => {
    const res = await json<{ message: string }>(scope, 'GET', '/api/session.json?hex=all');
    expect(res).toMatchObject({ status: 400, body: { message: 'query.hex: unknown field' } });
  });

  it('spends a bounded amount of hex on a whole export', () => {
    expect(hexBytesPerEvent(0)).toBe(4096);
    expect(hexBytesPerEvent(100)).toBe(4096);
    expect(hexBytesPerEvent(20_000)).toBe(559);
    expect(hexBytesPerEvent(10_000_000)).toBe(256);
  });
});
