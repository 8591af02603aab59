// The capture on a thread of its own (capture-thread.ts, capture-worker.ts), with a real tcpdump on
// loopback: what the main thread gets must be what the in-thread capture gives, in the same order, and
// starting and stopping the thread must leave nothing of it behind. Every wait is on an event; nothing sleeps.
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { UnsequencedSegment, UnsequencedWireEvent } from '../../shared/wire.ts';
import type { CaptureService } from './capture-service.ts';
import { createCaptureThread } from './capture-thread.ts';
import type { CaptureThreadOptions } from './capture-thread-protocol.ts';

const TIMEOUT = 30_000;
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** An echo server on loopback whose accepted connections are told to the capture, as the echo server's are. */
async function echoServer(capture: () => CaptureService): Promise<{ port: number; ids: Map<number, number> }> {
  let nextId = 1;
  /** Client port → connection id. */
  const ids = new Map<number, number>();
  const server = net.createServer((sock) => {
    const id = nextId++;
    ids.set(sock.remotePort!, id);
    capture().notifyOpen({ id, localAddress: sock.localAddress!, localPort: sock.localPort!, remoteAddress: sock.remoteAddress!, remotePort: sock.remotePort! });
    sock.on('data', (d) => sock.write(`Received: ${d.length}`));
    sock.on('end', () => sock.end());
    sock.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { port: (server.address() as net.AddressInfo).port, ids };
}

/** A capture thread whose events are gathered, with a way to wait until they say something. */
function startThread(options: CaptureThreadOptions) {
  const events: UnsequencedWireEvent[] = [];
  const waiters: { pred: () => boolean; resolve: () => void }[] = [];
  const check = (): void => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.pred()) waiters.splice(i, 1)[0]!.resolve();
    }
  };
  const thread = createCaptureThread({
    ...options,
    emit: (ev) => {
      events.push(ev);
      check();
    },
  });
  cleanups.push(() => thread.stop());
  thread.start();
  const until = (pred: () => boolean) =>
    new Promise<void>((resolve) => {
      waiters.push({ pred, resolve });
      check();
    });
  return { thread, events, until };
}

/** Sends `text` and resolves with the echo server's whole answer once it ends the connection. */
async function exchange(port: number, text: string): Promise<{ reply: string; clientPort: number }> {
  const sock = net.connect(port, '127.0.0.1');
  await once(sock, 'connect');
  const clientPort = sock.localPort!;
  let reply = '';
  sock.setEncoding('utf8').on('data', (d: string) => (reply += d));
  sock.end(text);
  await once(sock, 'close');
  return { reply, clientPort };
}

const tcpdumpLines = (pcap: Uint8Array): string[] =>
  execFileSync('tcpdump', ['-r', '-', '-nn', '-S'], { input: pcap, stdio: ['pipe', 'pipe', 'pipe'] }).toString().trim().split('\n');

describe('the capture thread (real tcpdump on loopback)', () => {
  it(
    "hands a connection's segments to the main thread in capture order, with exact counts and its pcap",
    async () => {
      let t!: ReturnType<typeof startThread>;
      const srv = await echoServer(() => t.thread);
      t = startThread({ port: srv.port, enabled: true, sampling: false });
      expect(await t.thread.whenListening()).toBe(true);

      const { reply, clientPort } = await exchange(srv.port, 'Hello1');
      expect(reply).toBe('Received: 6');
      const id = srv.ids.get(clientPort)!;
      const segs = (): UnsequencedSegment[] => t.events.filter((e): e is UnsequencedSegment => e.kind === 'segment' && e.connId === id);
      // Both FINs, and the ACK of the second: the connection's last segment.
      await t.until(() => {
        const s = segs();
        const lastFin = s.findLastIndex((e) => e.flags.includes('FIN'));
        return s.filter((e) => e.flags.includes('FIN')).length === 2 && lastFin < s.length - 1;
      });

      const s = segs();
      expect(s[0]!.flags).toEqual(['SYN']);
      // In capture order: the timestamps never go back.
      for (let i = 1; i < s.length; i++) expect(s[i]!.t).toBeGreaterThanOrEqual(s[i - 1]!.t);
      const payload = s.filter((e) => e.payloadLength > 0).map((e) => Buffer.from(e.bytes).toString());
      expect(payload).toEqual(['Hello1', 'Received: 6']);

      // The counts are asked of the thread: every frame it read is in them, and the pcap has each segment.
      const state = await t.thread.stateNow();
      expect(state).toMatchObject({ active: true, reason: null, framesMalformed: 0, framesUnmatched: 0, eventsShed: 0 });
      expect(state.framesSeen).toBeGreaterThanOrEqual(s.length);
      expect(t.thread.state().framesSeen).toBe(state.framesSeen);
      const pcap = await t.thread.pcapFor(id);
      expect(tcpdumpLines(pcap!)).toHaveLength(s.length);
      expect(await t.thread.pcapFor(id + 100)).toBeUndefined();
    },
    TIMEOUT,
  );

  it(
    'stops without closing a descriptor the main thread was given after the capture closed its own',
    async () => {
      // A capture program that fails at once: the thread opens its FIFO, reads it to the end and closes
      // it, then gives up. The descriptors it freed go to the connections below; the thread's exit must
      // leave them alone (Node would close every descriptor the thread opened, by number, were it tracked).
      const t = startThread({ port: 1, enabled: true, sampling: false, command: ['/bin/false'], backoff: { maxAttempts: 0 } });
      expect(await t.thread.whenListening()).toBe(false);
      expect(t.thread.state().reason).toMatch(/exited with code 1; gave up/);

      const srv = await echoServer(() => t.thread);
      const clients = await Promise.all(
        Array.from({ length: 4 }, async () => {
          const sock = net.connect(srv.port, '127.0.0.1');
          await once(sock, 'connect');
          cleanups.push(() => void sock.destroy());
          return sock;
        }),
      );
      await t.thread.stop();

      for (const sock of clients) {
        sock.write('ping');
        const [data] = (await once(sock, 'data')) as [Buffer];
        expect(data.toString()).toBe('Received: 4');
      }
      // The listening socket too (made first, it is the likeliest to have the FIFO's old number).
      expect((await exchange(srv.port, 'ping')).reply).toBe('Received: 4');
    },
    TIMEOUT,
  );
});
