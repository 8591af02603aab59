// The echo server over real loopback sockets: each read event is one kernel read.
import net from 'node:net';
import os from 'node:os';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Tcpscope } from '../app.ts';
import type { StoredEvent } from '../events/stored-event.ts';
import { collectUntil, connectTcp, corkedWrites, nextEvent, startTestScope, untilTrue } from '../../test/helpers.ts';

/** Whether this machine has an IPv6 loopback address (::1 on some interface). */
const HAS_IPV6_LOOPBACK = Object.values(os.networkInterfaces()).some((list) => list?.some((i) => i.address === '::1'));

const HELLOS = ['Hello1\n', 'Hello2\n', 'Hello3\n'];
const readsOf = (events: StoredEvent[]) => events.filter((e) => e.kind === 'read');
const bytesRead = (events: StoredEvent[]) => readsOf(events).reduce((n, e) => n + (e.kind === 'read' ? e.length : 0), 0);

/** `n` bytes in which each KiB differs from the one before; `seed` tells two streams apart. */
const patterned = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * seed + (i >>> 10)) & 0xff));

/** Resumes `socket` and resolves with everything it receives once that is `n` bytes. */
function readBytes(socket: net.Socket, n: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let got = 0;
    socket.on('data', (b: Buffer) => {
      parts.push(b);
      got += b.length;
      if (got >= n) resolve(Buffer.concat(parts));
    });
    socket.resume();
  });
}

/** A client that writes `bytes` and reads nothing until its replies wait in tcpscope's send queue. */
async function backedUpClient(bytes: Buffer): Promise<net.Socket> {
  const opened = nextEvent(scope, (e) => e.kind === 'open');
  const socket = await connectTcp(scope.tcpPort);
  socket.pause();
  const { connId } = await opened;
  const server = [...scope.registry.openConnections()].find((c) => c.id === connId)!.socket;
  socket.write(bytes);
  await untilTrue('replies queued behind the unread ones', () => server.writableLength > 0);
  return socket;
}

let scope: Tcpscope;
beforeEach(async () => {
  scope = await startTestScope();
});
afterEach(async () => {
  await scope.close();
});

describe('echo server', () => {
  it('reads three corked 7-byte writes as one 21-byte read with buffer 1024', async () => {
    const socket = await connectTcp(scope.tcpPort);
    const done = collectUntil(scope, (all) => bytesRead(all) >= 21);
    corkedWrites(socket, HELLOS);
    const reads = readsOf(await done);
    expect(reads.map((r) => r.kind === 'read' && r.length)).toEqual([21]);
    socket.destroy();
  });

  it('reads them as three 7-byte reads with buffer 7', async () => {
    scope.config.apply({ bufferSize: 7 });
    const socket = await connectTcp(scope.tcpPort);
    const done = collectUntil(scope, (all) => bytesRead(all) >= 21);
    corkedWrites(socket, HELLOS);
    const reads = readsOf(await done);
    expect(reads.map((r) => r.kind === 'read' && r.length)).toEqual([7, 7, 7]);
    expect(reads.map((r) => r.kind === 'read' && r.offset)).toEqual([0, 7, 14]);
    socket.destroy();
  });

  it('applies a buffer change to an open connection from its next read', async () => {
    const socket = await connectTcp(scope.tcpPort);
    let done = collectUntil(scope, (all) => bytesRead(all) >= 21);
    corkedWrites(socket, HELLOS);
    expect(readsOf(await done).map((r) => r.kind === 'read' && r.length)).toEqual([21]);
    scope.config.apply({ bufferSize: 7 });
    done = collectUntil(scope, (all) => bytesRead(all) >= 21);
    corkedWrites(socket, HELLOS);
    expect(readsOf(await done).map((r) => r.kind === 'read' && r.length)).toEqual([7, 7, 7]);
    scope.config.apply({ bufferSize: 1024 });
    done = collectUntil(scope, (all) => bytesRead(all) >= 21);
    corkedWrites(socket, HELLOS);
    expect(readsOf(await done).map((r) => r.kind === 'read' && r.length)).toEqual([21]);
    socket.destroy();
  });

  it("answers the tutorial's exchange byte for byte: Hello1\\n in, Received: 7 out", async () => {
    const socket = await connectTcp(scope.tcpPort);
    socket.write('Hello1\n');
    const [reply] = (await once(socket, 'data')) as [Buffer];
    expect(reply.toString('latin1')).toBe('Received: 7');
    const read = scope.recorder.store.query({ kind: 'read', limit: 1 })[0];
    expect(read).toMatchObject({ kind: 'read', length: 7, offset: 0, truncated: false });
    const replyEvent = scope.recorder.store.query({ kind: 'reply', limit: 1 })[0];
    expect(replyEvent).toMatchObject({ kind: 'reply', length: 11, offset: 0 });
    const closed = nextEvent(scope, (e) => e.kind === 'close');
    socket.end();
    expect(await closed).toMatchObject({ kind: 'close', reason: 'end' });
  });

  it('echoes the bytes back in echo mode and writes nothing in none mode', async () => {
    scope.config.apply({ replyMode: 'echo' });
    const socket = await connectTcp(scope.tcpPort);
    const binary = Buffer.from([0x61, 0x62, 0x63, 0x00, 0xff]);
    socket.write(binary);
    const [echoed] = (await once(socket, 'data')) as [Buffer];
    expect(echoed).toEqual(binary);
    scope.config.apply({ replyMode: 'none' });
    const read = nextEvent(scope, (e) => e.kind === 'read');
    socket.write('quiet');
    await read;
    const closed = nextEvent(scope, (e) => e.kind === 'close');
    socket.end();
    await closed;
    const conn = scope.registry.list()[0]!;
    expect(conn).toMatchObject({ reads: 2, bytesRead: 10, replies: 1, bytesReplied: 5, closeReason: 'end' });
  });

  it('echoes every byte in order when its replies back up behind a client that stops reading', async () => {
    // A reply written while nothing waits goes out from one scratch buffer; one the kernel cannot take at
    // once must keep its own bytes while the next replies are copied. Each 1 KiB of the stream differs.
    scope.config.apply({ replyMode: 'echo', bufferSize: 1024 });
    const sent = patterned(8 * 1024 * 1024, 7);
    const socket = await backedUpClient(sent);
    const back = await readBytes(socket, sent.length);
    expect(back.length).toBe(sent.length);
    expect(back.equals(sent)).toBe(true);
    socket.destroy();
  });

  it("keeps a backed-up connection's pending reply intact while another connection is answered", async () => {
    // The reply that first waits on the backed-up connection was copied into the scratch buffer all
    // connections share; the other connection's replies must go elsewhere until it has gone out.
    scope.config.apply({ replyMode: 'echo', bufferSize: 1024 });
    const slowSent = patterned(8 * 1024 * 1024, 7);
    const slow = await backedUpClient(slowSent);
    const quickSent = patterned(256 * 1024, 13);
    const quick = await connectTcp(scope.tcpPort);
    const quickBack = readBytes(quick, quickSent.length);
    quick.write(quickSent);
    expect((await quickBack).equals(quickSent)).toBe(true);
    expect((await readBytes(slow, slowSent.length)).equals(slowSent)).toBe(true);
    quick.destroy();
    slow.destroy();
  });

  it('logs a client that closes with replies unread as a reset', async () => {
    scope.config.apply({ bufferSize: 7 });
    const socket = await connectTcp(scope.tcpPort);
    socket.pause(); // leave the replies in the kernel's receive queue
    const replied = collectUntil(scope, (all) => all.filter((e) => e.kind === 'reply').length === 3);
    corkedWrites(socket, HELLOS);
    await replied;
    const closed = nextEvent(scope, (e) => e.kind === 'close');
    socket.destroy(); // close() with unread data: the kernel sends RST
    expect(await closed).toMatchObject({ kind: 'close', reason: 'reset', code: 'ECONNRESET' });
  });

  it('treats garbage bytes as data and counts every byte', async () => {
    const socket = await connectTcp(scope.tcpPort);
    const garbage = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 131) & 0xff));
    const done = collectUntil(scope, (all) => bytesRead(all) >= garbage.length);
    socket.write(garbage);
    const reads = readsOf(await done);
    expect(reads.reduce((n, r) => n + (r.kind === 'read' ? r.length : 0), 0)).toBe(5000);
    expect(reads.every((r) => r.kind === 'read' && r.length <= 1024)).toBe(true);
    socket.destroy();
  });

  // Skipped, saying why, only on a machine with no IPv6 loopback at all; where ::1 exists, a refused
  // connection is a failure, not a silent pass.
  it.skipIf(!HAS_IPV6_LOOPBACK)(
    `accepts IPv6 loopback clients on the same port${HAS_IPV6_LOOPBACK ? '' : ' — SKIPPED: this machine has no ::1 (no IPv6 loopback interface)'}`,
    async () => {
      const accepted = nextEvent(scope, (e) => e.kind === 'open' && e.remoteAddress === '::1', 'the accept of the ::1 client');
      const socket = await connectTcp(scope.tcpPort, '::1');
      await accepted;
      const opened = scope.registry.list().find((c) => c.remoteAddress === '::1');
      expect(opened).toMatchObject({ state: 'open', origin: 'external' });
      socket.destroy();
    },
  );
});
