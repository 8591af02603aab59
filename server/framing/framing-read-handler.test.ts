// Framing on the echo server over real loopback sockets: messages, replies per message, protocol errors
// that close only the connection that broke the rule, and live changes at message boundaries.
import net from 'node:net';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Framing } from '../../shared/config.ts';
import { encodeMessage, encodeMessages } from '../../shared/framing-encode.ts';
import type { Tcpscope } from '../app.ts';
import type { StoredEvent } from '../events/stored-event.ts';
import { collectUntil, connectTcp, nextEvent, startTestScope } from '../../test/helpers.ts';
import { framerOf } from './framing-read-handler.ts';

const LINES: Framing = { mode: 'delimiter', delimiter: '\n', maxMessageBytes: 64 };
const PREFIX2: Framing = { mode: 'length-prefix', prefixBytes: 2, maxMessageBytes: 64 };
const text = (s: string) => new TextEncoder().encode(s);

type Ev<K extends StoredEvent['kind']> = Extract<StoredEvent, { kind: K }>;
const ofKind = <K extends StoredEvent['kind']>(events: StoredEvent[], kind: K, connId?: number) =>
  events.filter((e): e is Ev<K> => e.kind === kind && (connId === undefined || e.connId === connId));
const messagesOf = (events: StoredEvent[], connId?: number) =>
  ofKind(events, 'message', connId).map((m) => Buffer.from(m.bytes).toString('latin1'));

/** Collects every byte the server sends back on `socket` until `done` says so. */
function repliesUntil(socket: net.Socket, done: (all: string) => boolean): Promise<string> {
  let all = '';
  return new Promise((resolve) => {
    const onData = (d: Buffer) => {
      all += d.toString('latin1');
      if (done(all)) {
        socket.off('data', onData);
        resolve(all);
      }
    };
    socket.on('data', onData);
  });
}

let scope: Tcpscope;
beforeEach(async () => {
  scope = await startTestScope();
});
afterEach(async () => {
  await scope.close();
});

describe('framing on the echo server', () => {
  it('cuts lines out of 7-byte reads and answers each message with its length', async () => {
    scope.config.apply({ bufferSize: 7, framing: LINES });
    const socket = await connectTcp(scope.tcpPort);
    const events = collectUntil(scope, (all) => ofKind(all, 'message').length === 3);
    const replies = repliesUntil(socket, (all) => all === 'Received: 9Received: 1Received: 0');
    socket.write('Greetings\nA\n\n');
    const all = await events;
    expect(messagesOf(all)).toEqual(['Greetings', 'A', '']);
    const reads = ofKind(all, 'read');
    expect(reads.map((r) => r.length)).toEqual([7, 6]);
    const msgs = ofKind(all, 'message');
    expect(msgs.map((m) => [m.offset, m.length, m.firstReadSeq, m.lastReadSeq, m.truncated])).toEqual([
      [0, 9, reads[0]!.seq, reads[1]!.seq, false],
      [10, 1, reads[1]!.seq, reads[1]!.seq, false],
      [12, 0, reads[1]!.seq, reads[1]!.seq, false],
    ]);
    expect(await replies).toBe('Received: 9Received: 1Received: 0');
    socket.destroy();
  });

  it('answers nothing for a read that completes no message', async () => {
    scope.config.apply({ framing: LINES });
    const socket = await connectTcp(scope.tcpPort);
    const read = nextEvent(scope, (e) => e.kind === 'read');
    socket.write('no newline yet');
    await read;
    const message = nextEvent(scope, (e) => e.kind === 'message');
    const reply = repliesUntil(socket, (all) => all.length > 0);
    socket.write('\n');
    expect(await message).toMatchObject({ kind: 'message', length: 14, offset: 0 });
    expect(await reply).toBe('Received: 14');
    expect(scope.recorder.store.query({ kind: 'reply', limit: 10 })).toHaveLength(1);
    socket.destroy();
  });

  it('echoes whole messages in the framing they arrived in', async () => {
    scope.config.apply({ replyMode: 'echo', framing: PREFIX2, bufferSize: 3 });
    const socket = await connectTcp(scope.tcpPort);
    const stream = encodeMessages([text('Hello1'), text(''), text('Hi')], PREFIX2);
    const echoed = new Promise<Buffer>((resolve) => {
      const parts: Buffer[] = [];
      socket.on('data', (d: Buffer) => {
        parts.push(d);
        const all = Buffer.concat(parts);
        if (all.length >= stream.length) resolve(all);
      });
    });
    socket.write(stream);
    expect(new Uint8Array(await echoed)).toEqual(stream);
    const replies = scope.recorder.store.query({ kind: 'reply', limit: 10 });
    expect(replies.map((r) => r.kind === 'reply' && r.length)).toEqual([8, 2, 4]);
    socket.destroy();
  });

  it('keeps messages longer than the hex cap exact and marks their bytes truncated', async () => {
    const big: Framing = { mode: 'length-prefix', prefixBytes: 4, maxMessageBytes: 100_000 };
    scope.config.apply({ framing: big });
    const socket = await connectTcp(scope.tcpPort);
    const payload = new Uint8Array(10_000).map((_, i) => i & 0xff);
    const message = nextEvent(scope, (e) => e.kind === 'message');
    socket.write(encodeMessage(payload, big));
    const m = (await message) as Ev<'message'>;
    expect(m).toMatchObject({ length: 10_000, offset: 4, truncated: true });
    expect(m.bytes.length).toBe(4096);
    expect(new Uint8Array(m.bytes)).toEqual(payload.subarray(0, 4096));
    socket.destroy();
  });

  it('closes only the connection whose length prefix is too large, with reason protocol, while another keeps echoing', async () => {
    scope.config.apply({ replyMode: 'echo', framing: PREFIX2 });
    const opened = collectUntil(scope, (all) => ofKind(all, 'open').length === 2);
    const good = await connectTcp(scope.tcpPort);
    const bad = await connectTcp(scope.tcpPort);
    const [goodConn, badConn] = ofKind(await opened, 'open').map((e) => ({ id: e.connId, port: e.remotePort }));
    expect(goodConn!.port).toBe(good.localPort);

    const firstEcho = repliesUntil(good, (all) => all.length === 8);
    good.write(encodeMessage(text('before'), PREFIX2));
    expect(await firstEcho).toBe('\x00\x06before');

    const error = nextEvent(scope, (e) => e.kind === 'error');
    const closed = nextEvent(scope, (e) => e.kind === 'close' && e.connId === badConn!.id);
    const badEnded = once(bad, 'close');
    bad.on('error', () => {}); // a reset is fine too: the server dropped unread bytes
    bad.resume();
    // Announces 1000 bytes when 64 is the maximum; the server refuses before keeping any of them.
    bad.write(Buffer.concat([Buffer.from(encodeMessage(text('ok'), PREFIX2)), Buffer.from([0x03, 0xe8]), Buffer.alloc(20, 0x41)]));
    expect(await error).toMatchObject({
      kind: 'error',
      connId: badConn!.id,
      rule: 'length-prefix-too-large',
      message: 'length prefix announces 1000 bytes, above the maximum of 64',
    });
    expect(await closed).toMatchObject({ kind: 'close', connId: badConn!.id, reason: 'protocol' });
    await badEnded;
    expect(messagesOf(scope.recorder.store.query({ kind: 'message', connId: badConn!.id, limit: 10 }))).toEqual(['ok']);

    const secondEcho = repliesUntil(good, (all) => all.length === 7);
    good.write(encodeMessage(text('after'), PREFIX2));
    expect(await secondEcho).toBe('\x00\x05after');
    expect(scope.registry.list().find((c) => c.id === goodConn!.id)).toMatchObject({ state: 'open' });
    expect(scope.registry.list().find((c) => c.id === badConn!.id)).toMatchObject({ state: 'closed', closeReason: 'protocol' });
    good.destroy();
  });

  it('closes a connection whose delimiter does not come within the maximum, holding no more than the maximum', async () => {
    scope.config.apply({ framing: { mode: 'delimiter', delimiter: '\r\n', maxMessageBytes: 16 }, bufferSize: 5 });
    const socket = await connectTcp(scope.tcpPort);
    socket.on('error', () => {});
    const error = nextEvent(scope, (e) => e.kind === 'error');
    const closed = nextEvent(scope, (e) => e.kind === 'close');
    socket.write('0123456789ABCDEFGHIJ\r\n');
    expect(await error).toMatchObject({ kind: 'error', rule: 'delimiter-not-found' });
    expect(await closed).toMatchObject({ kind: 'close', reason: 'protocol' });
    // Buffer 5: the server gave up after at most 16 + 2 bytes, never reading the whole line.
    const conn = scope.registry.list()[0]!;
    expect(conn.bytesRead).toBeLessThanOrEqual(20);
  });

  it('applies a framing change to an open connection at its next message boundary, even in the middle of a read', async () => {
    scope.config.apply({ framing: LINES });
    const socket = await connectTcp(scope.tcpPort);
    let read = nextEvent(scope, (e) => e.kind === 'read');
    socket.write('Hello1\nHel');
    await read;
    const [conn] = scope.registry.openConnections();
    expect(framerOf(conn!)?.buffered()).toBe(3);

    scope.config.apply({ framing: { mode: 'fixed', size: 4 } });
    // Still the old framing: "Hel" waits for its newline.
    expect(framerOf(conn!)?.pendingFraming).toEqual({ mode: 'fixed', size: 4 });
    const events = collectUntil(scope, (all) => ofKind(all, 'message').length === 3);
    socket.write('lo2\nABCDWXYZ');
    expect(messagesOf(await events)).toEqual(['Hello2', 'ABCD', 'WXYZ']);
    const msgs = scope.recorder.store.query({ kind: 'message', limit: 10 }) as Ev<'message'>[];
    expect(msgs.map((m) => m.offset)).toEqual([0, 7, 14, 18]);
    expect(framerOf(conn!)?.framing).toEqual({ mode: 'fixed', size: 4 });

    // Back to raw at a boundary: the framer goes, and every read stands alone again.
    scope.config.apply({ framing: { mode: 'raw' } });
    expect(framerOf(conn!)).toBeUndefined();
    read = nextEvent(scope, (e) => e.kind === 'read');
    const reply = repliesUntil(socket, (all) => all.endsWith('Received: 3'));
    socket.write('raw');
    await read;
    await reply;
    expect(scope.recorder.store.query({ kind: 'message', limit: 10 })).toHaveLength(4);
    socket.destroy();
  });

  it('answers the rest of the read on its own when a switch to raw takes effect inside it', async () => {
    scope.config.apply({ framing: LINES });
    const socket = await connectTcp(scope.tcpPort);
    const read = nextEvent(scope, (e) => e.kind === 'read');
    socket.write('Hel');
    await read;
    scope.config.apply({ framing: { mode: 'raw' } });
    const [conn] = scope.registry.openConnections();
    expect(framerOf(conn!)?.pendingFraming).toEqual({ mode: 'raw' });
    const replies = repliesUntil(socket, (all) => all === 'Received: 5Received: 4');
    socket.write('lo\ntail');
    expect(await replies).toBe('Received: 5Received: 4');
    expect(framerOf(conn!)).toBeUndefined();
    socket.destroy();
  });

  it('frames connections opened before the framing was set from their next byte, with stream offsets intact', async () => {
    const socket = await connectTcp(scope.tcpPort);
    const read = nextEvent(scope, (e) => e.kind === 'read');
    socket.write('raw bytes ');
    await read;
    const [conn] = scope.registry.openConnections();
    expect(framerOf(conn!)).toBeUndefined(); // raw: no framer, nothing on the read path
    scope.config.apply({ framing: { mode: 'fixed', size: 3 } });
    const message = nextEvent(scope, (e) => e.kind === 'message');
    socket.write('abc');
    expect(await message).toMatchObject({ kind: 'message', offset: 10, length: 3 });
    socket.destroy();
  });
});
