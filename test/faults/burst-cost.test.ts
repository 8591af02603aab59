// One valid request must not take the server down: a burst's whole cost (writes after the split, bytes with
// framing) is checked before anything is connected or written, and an allowed large burst writes with
// backpressure instead of queueing everything at once.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../shared/connections.ts';
import { BURST_COUNT_MAX, BURST_PAYLOAD_MAX_BYTES } from '../../shared/limits.ts';
import type { LimitStatus } from '../../shared/security.ts';
import type { Tcpscope } from '../../server/app.ts';
import { json, nextEvent, startTestScope } from '../helpers.ts';

let scope: Tcpscope;
beforeAll(async () => {
  scope = await startTestScope();
});
afterAll(async () => {
  await scope.close();
});

const refusedCost = async () => (await json<LimitStatus>(scope, 'GET', '/api/limits')).body.refused.burstCost;
const big = 'x'.repeat(BURST_PAYLOAD_MAX_BYTES);

/** The kernel's largest send and receive buffers: with backpressure, no more than these can be in flight. */
function kernelBufferMax(): number {
  const max = (file: string) => Number(readFileSync(file, 'utf8').trim().split(/\s+/)[2]);
  return max('/proc/sys/net/ipv4/tcp_wmem') + max('/proc/sys/net/ipv4/tcp_rmem');
}

describe('burst cost', () => {
  it('refuses 1000 × 64 KiB cut into 1-byte pieces (65.5 million writes) with 413 naming --max-burst-writes, before connecting', async () => {
    const before = await refusedCost();
    const opened = scope.registry.list().length;
    const res = await json<{ message: string }>(scope, 'POST', '/api/bursts', { count: 1000, payload: big, split: { mode: 'fixed', size: 1 } });
    expect(res.status).toBe(413);
    expect(res.body.message).toBe(
      'body: this burst makes more than 1000000 writes (count × pieces after the split); at most 1000000 (--max-burst-writes)',
    );
    expect(scope.registry.list().length, 'no connection was opened for the refused burst').toBe(opened);
    expect(await refusedCost()).toBe(before + 1);
  });

  it('refuses a random split whose pieces pass the ceiling, counting draws only up to it', async () => {
    const res = await json<{ message: string }>(scope, 'POST', '/api/bursts', {
      count: 100,
      payload: big,
      split: { mode: 'random', seed: 7, minBytes: 1, maxBytes: 2 },
    });
    expect(res.status).toBe(413);
    expect(res.body.message).toContain('(--max-burst-writes)');
  });

  it('refuses a burst whose framing makes it larger than --max-burst-bytes (fixed frames of 16 MiB)', async () => {
    const res = await json<{ message: string }>(scope, 'POST', '/api/bursts', {
      count: 10,
      framing: { mode: 'fixed', size: 16 * 1024 * 1024 },
    });
    expect(res.status).toBe(413);
    expect(res.body.message).toBe(`body: this burst writes ${10 * 16 * 1024 * 1024} bytes; at most ${64 * 1024 * 1024} (--max-burst-bytes)`);
  });

  it('counts a burst in the server framing by the server framing', async () => {
    await json(scope, 'PATCH', '/api/config', { framing: { mode: 'fixed', size: 16 * 1024 * 1024 } });
    try {
      const res = await json(scope, 'POST', '/api/bursts', { count: 10, framing: { mode: 'server' } });
      expect(res.status).toBe(413);
    } finally {
      await json(scope, 'PATCH', '/api/config', { framing: { mode: 'raw' } });
    }
  });

  it('accepts the documented largest burst (1000 × 64 KiB, framed), and writes it no faster than the server reads', async () => {
    // The largest read buffer: 65.5 MB is then read in about a thousand reads, not sixty-four thousand.
    await json(scope, 'PATCH', '/api/config', { paused: true, bufferSize: 65536 });
    const res = await json<{ connId: number }>(scope, 'POST', '/api/bursts', {
      count: BURST_COUNT_MAX,
      payload: big,
      framing: { mode: 'length-prefix', prefixBytes: 4 },
    });
    expect(res.status).toBe(202);
    const id = res.body.connId;
    const closed = nextEvent(scope, (e) => e.kind === 'close' && e.connId === id);
    // The server reads nothing while paused. Without backpressure all 65.5 MB would be queued (and recorded
    // as written) at once; with it, no more than the kernel's buffers and one high-water mark are in flight.
    const conns = (await json<Connection[]>(scope, 'GET', '/api/connections')).body;
    const conn = conns.find((c) => c.id === id)!;
    expect(conn.bytesRead).toBe(0);
    expect(conn.bytesWritten, 'bytes written while the server read nothing').toBeLessThanOrEqual(kernelBufferMax() + 2 * 65540);
    expect((await json(scope, 'GET', '/api/config')).status).toBe(200);
    await json(scope, 'PATCH', '/api/config', { paused: false });
    await closed;
    await json(scope, 'PATCH', '/api/config', { bufferSize: 1024 });
    const done = scope.registry.list().find((c) => c.id === id)!;
    expect(done.bytesWritten).toBe(BURST_COUNT_MAX * (BURST_PAYLOAD_MAX_BYTES + 4));
    expect(done.bytesRead).toBe(done.bytesWritten);
  }, 60_000);
});
