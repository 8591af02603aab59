// Counts stay exact under load with the capture on: four peers stream at buffer 7 into tcpscope (as
// `npm start` runs it, reply ack), each read answered, while tcpdump captures every segment. Reads and
// bytes must match what the peers sent, each reply must be accounted for, and every captured frame must
// be shown, summarised or accounted for. Waits are on events; nothing is timed.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../shared/connections.ts';
import { json, startTestScope } from '../../test/helpers.ts';

const TIMEOUT = 120_000;
const PEERS = 4;
const BYTES_PER_PEER = 64 * 1024;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** Sends `bytes` in 8 KiB writes, half-closes, and resolves with the sum of N over the `Received: N` replies once the server closes. */
function peer(port: number, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const c = net.connect({ port, host: '127.0.0.1' }, () => {
      const chunk = Buffer.alloc(8192, 'x');
      for (let sent = 0; sent < bytes; sent += chunk.length) c.write(chunk.subarray(0, Math.min(chunk.length, bytes - sent)));
      c.end();
    });
    let acked = 0;
    let tail = '';
    c.setEncoding('latin1');
    c.on('data', (d: string) => {
      // Replies are `Received: N` back to back: a number ends where the next reply starts.
      const text = tail + d;
      const parts = text.split('Received: ');
      tail = parts.pop()!;
      for (const p of parts) if (p !== '') acked += Number(p);
    });
    c.on('error', reject);
    c.on('close', () => resolve(acked + (tail === '' ? 0 : Number(tail))));
  });
}

describe('capture under load (real tcpdump, real sockets)', () => {
  it(
    'keeps reads, bytes, replies and segments exact while four peers stream at buffer 7',
    async () => {
      const scope = await startTestScope({ capture: true, config: { bufferSize: 7, replyMode: 'ack' } });
      cleanups.push(() => scope.close());
      expect(await scope.capture.whenListening()).toBe(true);
      let shown = 0;
      cleanups.push(async () => stopCounting());
      const stopCounting = scope.recorder.subscribe((e) => void (e.kind === 'segment' && shown++), { chunks: false });

      const acked = await Promise.all(Array.from({ length: PEERS }, () => peer(scope.tcpPort, BYTES_PER_PEER)));
      expect(acked).toEqual(Array(PEERS).fill(BYTES_PER_PEER));

      const conns = (await json<Connection[]>(scope, 'GET', '/api/connections')).body;
      expect(conns).toHaveLength(PEERS);
      for (const c of conns) {
        expect(c.bytesRead).toBe(BYTES_PER_PEER);
        // Every read is at most 7 bytes and answered once.
        expect(c.reads).toBeGreaterThanOrEqual(Math.ceil(BYTES_PER_PEER / 7));
        expect(c.replies).toBe(c.reads);
      }

      // Every frame the capture read is shown, summarised or accounted for: checked in one synchronous
      // moment, as frames still arrive (the last ACKs).
      const st = scope.capture.state();
      expect(st.framesSeen).toBe(shown + st.segmentsSummarized! + st.framesUnmatched + st.framesMalformed);
      expect(st.framesSeen).toBeGreaterThan(0);
      expect(st.framesMalformed).toBe(0);
      const byConn = new Map((st.summarizedByConn ?? []).map((x) => [x.connId, x.segments]));
      expect([...byConn.values()].reduce((a, b) => a + b, 0)).toBe(st.segmentsSummarized);
    },
    TIMEOUT,
  );
});
