// Real sockets on loopback, real ss: the kernel's queues as the sampler reports them.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { UnsequencedSample } from '../../shared/wire.ts';
import { createSsSampler, type SsSampler } from './ss-sampler.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A server that never reads, a connected client, and the server-side socket's 4-tuple. */
async function stalledPair(): Promise<{ port: number; client: net.Socket; server: net.Socket }> {
  let accepted!: (s: net.Socket) => void;
  const got = new Promise<net.Socket>((r) => (accepted = r));
  // pauseOnConnect: Node never starts reading, so what arrives stays in the kernel's queue.
  const srv = net.createServer({ pauseOnConnect: true }, (s) => {
    s.on('error', () => {});
    accepted(s);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  const client = net.connect(port, '127.0.0.1');
  client.on('error', () => {});
  const server = await got;
  cleanups.push(() => {
    client.destroy();
    server.destroy();
    srv.close();
  });
  return { port, client, server };
}

const tupleOf = (s: net.Socket) => ({ localAddress: s.localAddress!, localPort: s.localPort!, remoteAddress: s.remoteAddress!, remotePort: s.remotePort! });

/** Samples until `pred` holds; a bounded number of passes, each one real ss run. */
async function sampleUntil(sampler: SsSampler, pred: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !pred(); i++) await sampler.sampleOnce();
  expect(pred()).toBe(true);
}

describe('ss sampler', () => {
  it("shows bytes waiting in the server's receive queue while it does not read, on both ends", async () => {
    const { port, client, server } = await stalledPair();
    const got: UnsequencedSample[] = [];
    const sampler = createSsSampler({ port, emit: (s) => got.push(s) });
    sampler.track(4, tupleOf(server));
    await new Promise<void>((r) => client.write(Buffer.alloc(1000, 0x41), () => r()));
    await sampleUntil(sampler, () => got.some((s) => s.side === 'server' && s.recvQ === 1000));
    const srv = got.filter((s) => s.side === 'server').at(-1)!;
    expect(srv).toMatchObject({ kind: 'sample', connId: 4, state: 'ESTAB', recvQ: 1000 });
    expect(srv.rcvSpace).toBeGreaterThan(0);
    expect(srv.rttMs).not.toBeNull();
    await sampleUntil(sampler, () => got.some((s) => s.side === 'client' && s.sendQ === 0));
    expect(got.filter((s) => s.side === 'client').at(-1)).toMatchObject({ connId: 4, state: 'ESTAB', recvQ: 0 });
    expect(sampler.error()).toBeNull();
  });

  it('samples a closed connection once more, then no longer', async () => {
    const { port, server } = await stalledPair();
    const got: UnsequencedSample[] = [];
    const sampler = createSsSampler({ port, emit: (s) => got.push(s) });
    sampler.track(1, tupleOf(server));
    sampler.untrack(1);
    await sampler.sampleOnce();
    expect(got.map((s) => s.side).sort()).toEqual(['client', 'server']);
    await sampler.sampleOnce();
    expect(got).toHaveLength(2);
  });

  it('keeps its ss shell for the next connection (no fork of the server at its start), unless told not to linger', async () => {
    const { port, server } = await stalledPair();
    const starts = async (shellLingerMs?: number): Promise<number> => {
      const sampler = createSsSampler({ port, emit: () => {}, ...(shellLingerMs === undefined ? {} : { shellLingerMs }) });
      sampler.track(1, tupleOf(server));
      await sampler.sampleOnce();
      sampler.untrack(1);
      await sampler.sampleOnce(); // its last sample
      await sampler.sampleOnce(); // nothing open now
      sampler.track(2, tupleOf(server)); // a client that reconnects
      await sampler.sampleOnce();
      await sampler.stop();
      return sampler.shellStarts();
    };
    expect(await starts()).toBe(1);
    expect(await starts(0)).toBe(2);
  });

  it('sends only what changed, at the fast rate and the slow one', async () => {
    const { port, server } = await stalledPair();
    const got: UnsequencedSample[] = [];
    const sampler = createSsSampler({ port, emit: (s) => got.push(s), slowMs: 1e9, fastForMs: 1e9 });
    sampler.track(1, tupleOf(server));
    sampler.nudge();
    await sampler.sampleOnce();
    const first = got.length;
    expect(first).toBe(2);
    await sampler.sampleOnce();
    expect(got).toHaveLength(first);

    const slow = createSsSampler({ port, emit: (s) => got.push(s), fastForMs: 0 });
    slow.track(1, tupleOf(server));
    await slow.sampleOnce();
    await slow.sampleOnce();
    expect(got).toHaveLength(first + 2);
  });

  it('keeps reporting a socket with bytes stuck in its queue, changed or not', async () => {
    const { port, client, server } = await stalledPair();
    const got: UnsequencedSample[] = [];
    const sampler = createSsSampler({ port, emit: (s) => got.push(s) });
    sampler.track(1, tupleOf(server));
    await new Promise<void>((r) => client.write(Buffer.alloc(100, 0x41), () => r()));
    await sampleUntil(sampler, () => got.some((s) => s.side === 'server' && s.recvQ === 100));
    const serverSide = () => got.filter((s) => s.side === 'server');
    const before = serverSide().length;
    await sampler.sampleOnce();
    expect(serverSide()).toHaveLength(before + 1);
    expect(serverSide().at(-1)).toMatchObject({ recvQ: 100 });
  });

  it('samples on its own timer once started', async () => {
    const { port, server } = await stalledPair();
    let enough!: () => void;
    const done = new Promise<void>((r) => (enough = r));
    const got: UnsequencedSample[] = [];
    const sampler = createSsSampler({
      port,
      fastMs: 5,
      slowMs: 5,
      unchangedEveryMs: 0,
      emit: (s) => {
        got.push(s);
        if (got.length >= 4) enough();
      },
    });
    sampler.track(1, tupleOf(server));
    sampler.start();
    cleanups.push(() => sampler.stop());
    await done;
    expect(new Set(got.map((s) => s.side))).toEqual(new Set(['client', 'server']));
  });

  it('reports a failing ss without throwing, and runs none while nothing is open', async () => {
    const idle = createSsSampler({ port: 1, command: '/nonexistent/ss', emit: () => {} });
    await idle.sampleOnce();
    expect(idle.error()).toBeNull();
    idle.track(1, { localAddress: '127.0.0.1', localPort: 1, remoteAddress: '127.0.0.1', remotePort: 2 });
    await idle.sampleOnce();
    expect(idle.error()).toMatch(/^ss failed: \/nonexistent\/ss: not found/);
  });
});
