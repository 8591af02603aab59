// Misbehaving TCP peers, scripted with real sockets: none of them crashes the server, stalls the
// others or leaks a descriptor, and the server answers normally after each.
import { once } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tcpscope } from '../../server/app.ts';
import type { StoredEvent } from '../../server/events/stored-event.ts';
import { connectTcp, nextEvent, startTestScope } from '../helpers.ts';
import { httpRequest, openFdCount } from '../raw-clients.ts';
import { ConnTracker } from './conn-tracker.ts';

let scope: Tcpscope;
let tracker: ConnTracker;
let baselineFds: number;

/** A full exchange on a fresh connection and an API call: proof that the server still answers. */
async function stillAnswers(): Promise<void> {
  const s = await connectTcp(scope.tcpPort);
  const id = await tracker.idOf(s);
  s.write('ping');
  const [reply] = (await once(s, 'data')) as [Buffer];
  expect(reply.toString()).toBe('Received: 4');
  s.end();
  s.resume();
  await Promise.all([once(s, 'close'), tracker.closeOf(id)]);
  expect((await httpRequest(`${scope.httpUrl}/api/config`)).status).toBe(200);
}

async function closedBothSides(client: net.Socket, id: number): Promise<void> {
  if (!client.destroyed) client.destroy();
  await Promise.all([client.closed ? Promise.resolve() : once(client, 'close'), tracker.closeOf(id)]);
}

beforeAll(async () => {
  scope = await startTestScope();
  tracker = new ConnTracker(scope);
  await stillAnswers(); // warm every path once before counting descriptors
  baselineFds = openFdCount();
});
afterAll(async () => {
  tracker.dispose();
  await scope.close();
});

describe('TCP faults', () => {
  it('a peer that resets mid-stream: closed with reason reset', async () => {
    const s = await connectTcp(scope.tcpPort);
    const id = await tracker.idOf(s);
    // Let the server read part of the stream, then tear the connection down with RST.
    const firstRead = nextEvent(scope, (e: StoredEvent) => e.kind === 'read' && e.connId === id);
    s.write(Buffer.alloc(64 * 1024, 0x61));
    await firstRead;
    s.resetAndDestroy();
    const close = await tracker.closeOf(id);
    expect(close.reason).toBe('reset');
    expect(close.code).toBe('ECONNRESET');
    await stillAnswers();
  });

  it('a peer that half-closes and never reads our replies: closed with reason end', async () => {
    const s = await connectTcp(scope.tcpPort);
    const id = await tracker.idOf(s);
    s.pause(); // never reads a reply
    s.end('Hello1\nHello2\nHello3\n');
    expect((await tracker.closeOf(id)).reason).toBe('end');
    await closedBothSides(s, id);
    await stillAnswers();
  });

  it('a peer that writes without end and never reads: its backlog stays bounded and nobody else waits', async () => {
    await stillAnswers();
    scope.config.apply({ replyMode: 'echo' });
    try {
      const hog = await connectTcp(scope.tcpPort);
      const id = await tracker.idOf(hog);
      hog.pause();
      hog.write(Buffer.alloc(8 * 1024 * 1024, 0x62));
      const conn = scope.registry.get(id)!;
      // Others are served while the hog's replies pile up unread.
      for (let i = 0; i < 5; i++) {
        const s = await connectTcp(scope.tcpPort);
        const sid = await tracker.idOf(s);
        s.write('abc');
        const [echoed] = (await once(s, 'data')) as [Buffer];
        expect(echoed.toString()).toBe('abc');
        await closedBothSides(s, sid);
        // Reading stops once 1 MiB of replies waits: one read's reply at most on top of that.
        expect(conn.socket.writableLength).toBeLessThanOrEqual(1024 * 1024 + 65536);
      }
      await closedBothSides(hog, id);
    } finally {
      scope.config.apply({ replyMode: 'ack' });
    }
    await stillAnswers();
  });

  it('peers that connect and never send: they wait, others are served, and they close with reason end', async () => {
    const idle = await Promise.all(Array.from({ length: 50 }, () => connectTcp(scope.tcpPort)));
    const ids = await Promise.all(idle.map((s) => tracker.idOf(s)));
    await stillAnswers();
    expect(ids.every((id) => scope.registry.get(id)?.state === 'open')).toBe(true);
    for (const s of idle) s.end();
    for (const s of idle) s.resume();
    const closes = await Promise.all(ids.map((id) => tracker.closeOf(id)));
    expect(closes.every((c) => c.reason === 'end')).toBe(true);
    await Promise.all(idle.map((s) => (s.closed ? undefined : once(s, 'close'))));
  });

  it('a peer that sends one byte at a time: one read per byte, and others are served in between', async () => {
    const slow = await connectTcp(scope.tcpPort);
    const id = await tracker.idOf(slow);
    slow.resume();
    for (const byte of Buffer.from('Hello1\n')) {
      const read = nextEvent(scope, (e: StoredEvent) => e.kind === 'read' && e.connId === id);
      slow.write(Buffer.of(byte));
      expect(await read).toMatchObject({ length: 1 });
      await stillAnswers();
    }
    expect(scope.registry.get(id)).toMatchObject({ reads: 7, bytesRead: 7 });
    slow.end();
    await tracker.closeOf(id);
    if (!slow.closed) await once(slow, 'close');
  });

  it('an HTTP client that sends its request one byte at a time stalls no one else', async () => {
    const port = Number(new URL(scope.httpUrl).port);
    const slow = net.connect({ port, host: '127.0.0.1' });
    await once(slow, 'connect');
    const response = new Promise<string>((resolve) => {
      let text = '';
      slow.on('data', (c: Buffer) => (text += c.toString()));
      slow.on('end', () => resolve(text));
    });
    const request = Buffer.from(`GET /api/config HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    for (let i = 0; i < request.length; i++) {
      slow.write(request.subarray(i, i + 1));
      if (i % 8 === 0) expect((await httpRequest(`${scope.httpUrl}/api/connections`)).status).toBe(200);
    }
    expect(await response).toMatch(/^HTTP\/1\.1 200 OK/);
    if (!slow.closed) await once(slow, 'close');
  });

  it('an unexpected error in one connection closes it with reason error and the code; the process stays up', async () => {
    const echo = scope.echo;
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    // A read handler with a bug that a read starting with "!" trips.
    echo.setReadHandler({
      onRead(conn, bytes, length) {
        if (bytes[0] === 0x21) throw Object.assign(new Error('a bug'), { code: 'EBUG' });
        if (bytes[0] === 0x3f) (null as unknown as { x: number }).x = 1; // a TypeError, no code
        echo.reply(conn, bytes, length);
      },
    });
    try {
      for (const [payload, code] of [['!boom', 'EBUG'], ['?boom', 'TypeError']] as const) {
        const bystander = await connectTcp(scope.tcpPort);
        const bid = await tracker.idOf(bystander);
        const s = await connectTcp(scope.tcpPort);
        const id = await tracker.idOf(s);
        s.resume();
        s.write(payload);
        expect(await tracker.closeOf(id)).toMatchObject({ reason: 'error', code });
        if (!s.closed) await once(s, 'close');
        bystander.write('ok');
        const [reply] = (await once(bystander, 'data')) as [Buffer];
        expect(reply.toString()).toBe('Received: 2');
        await closedBothSides(bystander, bid);
      }
      await stillAnswers();
      const reported = new Promise<void>((resolve) => (warnings.length >= 2 ? resolve() : process.once('warning', () => resolve())));
      await reported;
      expect(warnings.some((w) => w.includes('a bug'))).toBe(true);
    } finally {
      process.off('warning', onWarning);
      echo.setReadHandler({ onRead: (conn, bytes, length) => echo.reply(conn, bytes, length) });
    }
  });

  it('leaks no file descriptor across all of the above', async () => {
    expect(scope.registry.openCount).toBe(0);
    // ss sampling forgets closed connections at its next passes, and with none left ends its shell.
    for (let i = 0; i < 10 && openFdCount() !== baselineFds; i++) await scope.capture.sampleNow();
    expect(openFdCount()).toBe(baselineFds);
  });
});
