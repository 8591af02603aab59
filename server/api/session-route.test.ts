// The streamed session export is the document exportSession builds, byte for byte in its events: the hex
// of each event is cut to the same share and marked truncated the same way, only formatted later.
import { once } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionSchema } from '../../shared/session.ts';
import { sessionCsv } from '../../shared/session-csv.ts';
import type { Tcpscope } from '../app.ts';
import { exportSession, type SessionSources } from '../session/session-export.ts';
import type { ConfigHistory } from '../session/config-history.ts';
import { json, nextEvent, startTestScope } from '../../test/helpers.ts';

let scope: Tcpscope;
beforeAll(async () => {
  scope = await startTestScope();
});
afterAll(async () => {
  await scope.close();
});

describe('GET /api/session.json and .csv', () => {
  it('stream the same events as exportSession, with the hex cut to the same share', async () => {
    // 3,000 reads of 4 KiB: more bytes than the export's hex budget, so every event is cut.
    await json(scope, 'PATCH', '/api/config', { bufferSize: 4096, replyMode: 'none' });
    const socket = net.connect({ port: scope.tcpPort, host: '127.0.0.1' });
    await once(socket, 'connect');
    const closed = nextEvent(scope, (e) => e.kind === 'close', 'the close of the filling connection');
    socket.end(Buffer.alloc(3000 * 4096, 0x42));
    await closed;

    const res = await fetch(`${scope.httpUrl}/api/session.json`);
    const doc = SessionSchema.parse(await res.json());
    const sources: SessionSources = {
      store: scope.recorder.store,
      connections: () => scope.registry.list(),
      config: () => scope.config.get(),
      history: { before: () => scope.config.get() } as unknown as ConfigHistory,
      nextSeq: () => scope.recorder.nextSeq,
    };
    const expected = exportSession(sources, doc.exportedAt);
    // The socket sampler may have added a `sample` event since: it has no bytes, so the cut is the same.
    expect(expected.events.slice(doc.events.length).every((e) => e.kind === 'sample')).toBe(true);
    expect(doc.events).toEqual(expected.events.slice(0, doc.events.length));
    expect(doc.events.some((e) => 'truncated' in e && e.truncated)).toBe(true);
    expect(doc.connections).toEqual(expected.connections);

    const csv = await (await fetch(`${scope.httpUrl}/api/session.csv`)).text();
    expect(csv).toBe(sessionCsv(expected.events));
  }, 60_000);
});
