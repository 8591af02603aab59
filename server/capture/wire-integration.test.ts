// The wire view inside tcpscope: a real tcpdump and real ss beside the real echo server, started
// through startTcpscope as `npm start` does. Every wait is on a recorded event, never on time.
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../shared/connections.ts';
import type { SnapshotMessage } from '../../shared/live.ts';
import type { CaptureState, SampleEvent, SegmentEvent } from '../../shared/wire.ts';
import type { Tcpscope } from '../app.ts';
import { type StoredEvent, toWire } from '../events/stored-event.ts';
import { EVENT_HEX_MAX_BYTES } from '../../shared/limits.ts';
import { connectTcp, connectUnreading, corkedWrites, json, startTestScope, WsClient } from '../../test/helpers.ts';
import { NO_CAPTURE_REASON } from './capture-service.ts';
import { CAPTURE_DETAIL_SEGMENTS_PER_SEC } from '../../shared/limits.ts';

const TIMEOUT = 20_000;
const HELLOS = ['Hello1\n', 'Hello2\n', 'Hello3\n'];

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** Every event recorded from now on, and a way to wait until they satisfy a condition. */
class Timeline {
  readonly all: StoredEvent[] = [];
  private waiters: { pred: () => boolean; resolve: () => void }[] = [];
  constructor(scope: Tcpscope) {
    const stop = scope.recorder.subscribe((e) => {
      this.all.push(e);
      this.waiters = this.waiters.filter((w) => (w.pred() ? (w.resolve(), false) : true));
    });
    cleanups.push(stop);
  }
  until(pred: () => boolean): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ pred, resolve }));
  }
  of(connId: number): StoredEvent[] {
    return this.all.filter((e) => e.connId === connId);
  }
  /** Segments in their wire form, payload as hex, as the API and the page get them. */
  segments(connId: number): SegmentEvent[] {
    return this.of(connId).flatMap((e) => (e.kind === 'segment' ? [toWire(e, EVENT_HEX_MAX_BYTES) as SegmentEvent] : []));
  }
  samples(connId: number): SampleEvent[] {
    return this.of(connId).filter((e) => e.kind === 'sample') as SampleEvent[];
  }
  reads(connId: number) {
    return this.of(connId).flatMap((e) => (e.kind === 'read' ? [e] : []));
  }
}

async function start(extra: Parameters<typeof startTestScope>[0] = {}): Promise<{ scope: Tcpscope; tl: Timeline }> {
  const scope = await startTestScope({ capture: true, ...extra });
  cleanups.push(() => scope.close());
  const tl = new Timeline(scope);
  return { scope, tl };
}

const has = (s: SegmentEvent, flag: string) => s.flags.includes(flag as never);
const dataFrom = (segs: SegmentEvent[], dir: 'c2s' | 's2c') => segs.filter((s) => s.direction === dir && s.payloadLength > 0);

/** The tutorial's Go client: write Hello1\n, read the reply, close. */
function tutorialClient(port: number, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.connect(port, host, () => c.write('Hello1\n'));
    let reply = '';
    c.on('data', (d) => {
      reply += d.toString();
      if (reply.length >= 11) c.end();
    });
    c.on('error', reject);
    c.on('close', () => resolve(reply));
  });
}

/** tcpdump's own reading of a pcap file: one line per segment. */
function tcpdumpRead(pcap: Buffer): string[] {
  return execFileSync('tcpdump', ['-r', '-', '-nn', '-S', '-tt'], { input: pcap, stdio: ['pipe', 'pipe', 'pipe'] })
    .toString()
    .trim()
    .split('\n');
}

describe('the wire view in tcpscope (real tcpdump, real ss)', () => {
  it(
    'puts three corked writes, their one 21-byte segment and three 7-byte reads on one timeline',
    async () => {
      const { scope, tl } = await start({ config: { bufferSize: 7 } });
      expect(await scope.capture.whenListening()).toBe(true);
      const socket = await connectTcp(scope.tcpPort);
      cleanups.push(() => void socket.destroy());
      const [conn] = scope.registry.list();
      const id = conn!.id;
      corkedWrites(socket, HELLOS);
      await tl.until(() => tl.reads(id).length === 3 && dataFrom(tl.segments(id), 'c2s').length > 0);

      const data = dataFrom(tl.segments(id), 'c2s');
      expect(data).toHaveLength(1);
      expect(data[0]).toMatchObject({ connId: id, relativeSeq: 1, payloadLength: 21, hex: '48 65 6C 6C 6F 31 0A 48 65 6C 6C 6F 32 0A 48 65 6C 6C 6F 33 0A' });
      const reads = tl.reads(id);
      expect(reads.map((r) => [r.offset, r.length])).toEqual([
        [0, 7],
        [7, 7],
        [14, 7],
      ]);
      // One clock: the segment reached the server before any of the reads that consumed it.
      for (const r of reads) expect(data[0]!.t).toBeLessThan(r.t);
      // Its bytes are the reads' bytes: relative seq − 1 is the offset in the client's stream.
      expect(data[0]!.relativeSeq - 1).toBe(reads[0]!.offset);
    },
    TIMEOUT,
  );

  it(
    "captures the tutorial's exchange, and GET /api/capture.pcap holds the same segments for tcpdump -r",
    async () => {
      const { scope, tl } = await start();
      expect(await scope.capture.whenListening()).toBe(true);
      expect(await tutorialClient(scope.tcpPort)).toBe('Received: 7');
      const id = scope.registry.list()[0]!.id;
      // Both FINs and the last ACK: the teardown is on the wire.
      await tl.until(() => {
        const segs = tl.segments(id);
        const sFin = segs.find((s) => s.direction === 's2c' && has(s, 'FIN'));
        return sFin !== undefined && segs.some((s) => s.direction === 'c2s' && s.relativeAck === sFin.relativeSeq + 1);
      });

      const segs = tl.segments(id);
      expect(segs.slice(0, 3).map((s) => [s.direction, s.flags])).toEqual([
        ['c2s', ['SYN']],
        ['s2c', ['ACK', 'SYN']],
        ['c2s', ['ACK']],
      ]);
      const hello = dataFrom(segs, 'c2s');
      expect(hello).toHaveLength(1);
      expect(hello[0]).toMatchObject({ relativeSeq: 1, payloadLength: 7, ipHeaderLength: 20, hex: '48 65 6C 6C 6F 31 0A' });
      // The tutorial's 47 − 20 − 20; Linux adds 12 bytes of TCP timestamps: 59 − 20 − 32.
      expect(hello[0]!.ipTotalLength - hello[0]!.ipHeaderLength - hello[0]!.tcpHeaderLength).toBe(7);
      expect(segs.some((s) => s.direction === 's2c' && s.relativeAck === 8)).toBe(true);
      expect(dataFrom(segs, 's2c')).toEqual([expect.objectContaining({ relativeSeq: 1, relativeAck: 8, payloadLength: 11 })]);
      // The segments come in the order of the capture, and the connection's own events join them.
      expect(tl.of(id).map((e) => e.kind)).toEqual(expect.arrayContaining(['segment', 'open', 'read', 'reply', 'close']));

      const res = await fetch(`${scope.httpUrl}/api/capture.pcap?connId=${id}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/vnd.tcpdump.pcap');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="tcpscope-conn-${id}.pcap"`);
      const lines = tcpdumpRead(Buffer.from(await res.arrayBuffer()));
      // Segments seen after the teardown check (a late ACK) are in the file too: compare what both hold.
      const now = tl.segments(id);
      expect(lines).toHaveLength(now.length);
      lines.forEach((line, i) => {
        const s = now[i]!;
        expect(line).toContain(`.${scope.tcpPort}`);
        const seq = /seq (\d+)/.exec(line);
        if (seq) expect(Number(seq[1])).toBe(s.seqNumber);
        expect(Number(/length (\d+)/.exec(line)![1])).toBe(s.payloadLength);
      });

      const missing = await json<{ message: string }>(scope, 'GET', '/api/capture.pcap?connId=999');
      expect(missing.status).toBe(404);
      expect(missing.body.message).toContain('connection 999');
      for (const bad of ['', '?connId=abc', '?connId=0', '?connId=-1', `?connId=${id}&connId=${id}`, `?connId=${id}&x=1`]) {
        const r = await json<{ message: string }>(scope, 'GET', `/api/capture.pcap${bad}`);
        expect(r.status, bad).toBe(400);
        expect(r.body.message, bad).toMatch(/^query(\.connId|\.x)?:/);
      }
      expect((await json<CaptureState>(scope, 'GET', '/api/capture')).body).toMatchObject({ active: true, reason: null, framesMalformed: 0 });
    },
    TIMEOUT,
  );

  it(
    'shows the RST of a client that closes with replies unread, and the server logs a reset',
    async () => {
      const { scope, tl } = await start({ config: { bufferSize: 7 } });
      expect(await scope.capture.whenListening()).toBe(true);
      const socket = await connectUnreading(scope.tcpPort); // the replies stay in its receive queue
      const id = scope.registry.list()[0]!.id;
      corkedWrites(socket, HELLOS);
      await tl.until(() => tl.of(id).filter((e) => e.kind === 'reply').length === 3);
      socket.destroy();
      await tl.until(() => tl.segments(id).some((s) => has(s, 'RST')) && tl.of(id).some((e) => e.kind === 'close'));

      const rst = tl.segments(id).find((s) => has(s, 'RST'))!;
      expect(rst).toMatchObject({ direction: 'c2s', relativeSeq: 22, payloadLength: 0 });
      expect(tl.of(id).find((e) => e.kind === 'close')).toMatchObject({ reason: 'reset', code: 'ECONNRESET' });
    },
    TIMEOUT,
  );

  it(
    'with reading paused, the receive queue fills; once resumed every byte is read',
    async () => {
      const { scope, tl } = await start({ config: { replyMode: 'none' } });
      expect((await json(scope, 'PATCH', '/api/config', { paused: true })).status).toBe(200);
      const socket = await connectTcp(scope.tcpPort);
      cleanups.push(() => void socket.destroy());
      const id = scope.registry.list()[0]!.id;
      const sent = Buffer.alloc(5000, 0x41);
      await new Promise<void>((r) => socket.write(sent, () => r()));

      // Bounded: each pass is one real ss run.
      const queued = () => tl.samples(id).some((s) => s.side === 'server' && s.recvQ > 0);
      for (let i = 0; i < 200 && !queued(); i++) await scope.capture.sampleNow();
      expect(queued()).toBe(true);
      expect(tl.reads(id)).toEqual([]);
      const filled = tl.samples(id).find((s) => s.side === 'server' && s.recvQ > 0)!;
      expect(filled.recvQ).toBeLessThanOrEqual(sent.length);

      expect((await json(scope, 'PATCH', '/api/config', { paused: false })).status).toBe(200);
      const total = () => tl.reads(id).reduce((n, r) => n + r.length, 0);
      await tl.until(() => total() === sent.length);
      const conn = (await json<Connection[]>(scope, 'GET', '/api/connections')).body.find((c) => c.id === id)!;
      expect(conn.bytesRead).toBe(sent.length);
      // And the kernel's queue drains: the next look shows it empty.
      const drained = () => tl.samples(id).some((s) => s.side === 'server' && s.recvQ === 0 && s.t > filled.t);
      for (let i = 0; i < 200 && !drained(); i++) await scope.capture.sampleNow();
      expect(drained()).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'says why capture is off when the capture program fails, tells the page, and still echoes',
    async () => {
      const { scope, tl } = await start({
        captureCommand: ['sh', '-c', 'echo "tcpdump: lo: You don\'t have permission to capture on that device (socket: Operation not permitted)" >&2; exit 1'],
      });
      expect(await scope.capture.whenListening()).toBe(false);
      const state = (await json<CaptureState>(scope, 'GET', '/api/capture')).body;
      expect(state).toMatchObject({ active: false, framesSeen: 0 });
      expect(state.reason).toMatch(/lacks the privilege to capture .*setcap cap_net_raw,cap_net_admin=eip/);

      const ws = await WsClient.open(scope);
      cleanups.push(() => ws.close());
      const snapshot = await ws.waitFor((m): m is SnapshotMessage => m.type === 'snapshot');
      expect(snapshot.capture).toEqual(state);

      expect(await tutorialClient(scope.tcpPort)).toBe('Received: 7');
      const id = scope.registry.list()[0]!.id;
      await tl.until(() => tl.of(id).some((e) => e.kind === 'close'));
      expect(tl.segments(id)).toEqual([]);
      expect((await json(scope, 'GET', `/api/capture.pcap?connId=${id}`)).status).toBe(404);
    },
    TIMEOUT,
  );

  it('sends the capture state to the page when it changes, and says --no-capture when off', async () => {
    const { scope } = await start();
    const ws = await WsClient.open(scope);
    cleanups.push(() => ws.close());
    await ws.waitFor((m) => m.type === 'snapshot');
    // The state may have turned active before the snapshot; either way the page hears it.
    expect(await scope.capture.whenListening()).toBe(true);
    await ws.waitFor((m) => (m.type === 'capture' && m.state.active) || (m.type === 'snapshot' && m.capture?.active === true));
    await scope.capture.stop();
    // The page heard "waiting for tcpdump" before it turned active (the capture thread starts after the
    // page may connect): the state it hears after the stop is the one that counts.
    const off = await ws.waitFor((m) => m.type === 'capture' && !m.state.active && m.state.reason !== 'waiting for tcpdump to start listening');
    expect(off).toMatchObject({ type: 'capture', state: { active: false, reason: 'capture stopped' } });

    const quiet = await startTestScope({ capture: false });
    cleanups.push(() => quiet.close());
    expect((await json<CaptureState>(quiet, 'GET', '/api/capture')).body).toEqual({
      active: false,
      reason: NO_CAPTURE_REASON,
      framesSeen: 0,
      framesMalformed: 0,
      framesUnmatched: 0,
      restarts: 0,
      framesDropped: 0,
        segmentsSummarized: 0,
      summarizedByConn: [],
      detailSegmentsPerSec: CAPTURE_DETAIL_SEGMENTS_PER_SEC,
      ports: [quiet.tcpPort],
      filterChanges: 0,
      handoverDuplicates: 0,
      eventsShed: 0,
    });
  });
});
