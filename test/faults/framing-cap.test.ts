// Peers that start a large framed message and never finish it: each is bounded by maxMessageBytes, and all of
// them together by --max-framing-bytes. The connection whose read would pass the total closes with reason
// `limit` (code framing-bytes), counted in /api/limits; the others go on, and bytes freed are usable again.
import { once } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LimitStatus } from '../../shared/security.ts';
import type { Tcpscope } from '../../server/app.ts';
import { connectTcp, json, nextEvent, startTestScope, untilTrue } from '../helpers.ts';

let scope: Tcpscope;
const CAP = 1024 * 1024;
/** Each peer sends this much of a message announced as 16 MiB: its buffer grows to 512 KiB. */
const PART = 300 * 1024;

beforeAll(async () => {
  scope = await startTestScope({ security: { limits: { maxFramingBytes: CAP } } });
  await json(scope, 'PATCH', '/api/config', { framing: { mode: 'length-prefix', prefixBytes: 4, maxMessageBytes: 16 * 1024 * 1024 } });
});
afterAll(async () => {
  await scope.close();
});

/** A peer that announces 16 MiB and sends PART of it; resolves once the server has read all of that. */
async function unfinishedPeer(): Promise<{ socket: net.Socket; id: number }> {
  const socket = await connectTcp(scope.tcpPort);
  socket.on('error', () => {});
  const head = Buffer.alloc(4);
  head.writeUInt32BE(16 * 1024 * 1024);
  const conn = () => scope.registry.list().find((c) => c.remotePort === socket.localPort && c.state === 'open');
  await untilTrue('the server to accept the peer', () => conn() !== undefined);
  const id = conn()!.id;
  const closed = nextEvent(scope, (e) => e.kind === 'close' && e.connId === id, `the close of connection ${id}`);
  closed.catch(() => {});
  socket.write(Buffer.concat([head, Buffer.alloc(PART, 0x61)]));
  const state = () => scope.registry.list().find((c) => c.id === id)!;
  await untilTrue(`connection ${id} to be read to its end or closed`, () => state().bytesRead === PART + 4 || state().state === 'closed');
  return { socket, id };
}

const limits = async () => (await json<LimitStatus>(scope, 'GET', '/api/limits')).body;

describe('framing over all connections', () => {
  it('closes the peer whose unfinished message would pass --max-framing-bytes, with reason limit, and only it', async () => {
    const a = await unfinishedPeer();
    const b = await unfinishedPeer();
    const conn = (id: number) => scope.registry.list().find((c) => c.id === id)!;
    expect(conn(a.id).state).toBe('open');
    expect(conn(b.id).state).toBe('open');

    const c = await unfinishedPeer();
    await untilTrue(`connection ${c.id} to close`, () => conn(c.id).state === 'closed');
    expect(conn(c.id)).toMatchObject({ closeReason: 'limit', closeCode: 'framing-bytes' });
    expect(conn(a.id).state).toBe('open');
    expect(conn(b.id).state).toBe('open');
    const status = await limits();
    expect(status.refused.framingBytes).toBe(1);
    expect(status.refused.connections, 'a framing refusal is not a connection-limit refusal').toBe(0);
    expect(status.limits.maxFramingBytes).toBe(CAP);

    // A peer that goes away frees its share: the next one fits again.
    const gone = once(a.socket, 'close');
    a.socket.destroy();
    await gone;
    await untilTrue(`connection ${a.id} to close on the server`, () => conn(a.id).state === 'closed');
    const d = await unfinishedPeer();
    expect(conn(d.id).state).toBe('open');
    for (const p of [b, c, d]) p.socket.destroy();
  });
});
