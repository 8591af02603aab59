// Real capture on loopback: a real tcpdump watching a real echo server's port while a real client
// does the tutorial's exchange. Every wait is on an event the capture emits; nothing sleeps.
import { toHex } from '../../shared/hex.ts';
import { CAPTURE_DETAIL_SEGMENTS_PER_SEC } from '../../shared/limits.ts';
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SampleEventSchema, SegmentEventSchema, type CaptureState, type UnsequencedSample, type UnsequencedSegment, type UnsequencedWireEvent } from '../../shared/wire.ts';
import { createCaptureService, NO_CAPTURE_REASON, type CaptureService } from './capture-service.ts';
import { buildFrame } from './frame-builder.ts';
import { FLAG_SYN } from './packet-decode.ts';
import { LINKTYPE_ETHERNET } from './pcap-reader.ts';
import { writePcap } from './pcap-writer.ts';

const TIMEOUT = 20_000;

interface Harness {
  svc: CaptureService;
  port: number;
  segments: () => UnsequencedSegment[];
  samples: () => UnsequencedSample[];
  until(what: string, pred: () => boolean): Promise<void>;
  close(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** An echo server as the tutorial's: it answers every read with `Received: N` and closes when the peer does. */
async function startHarness(host: string, extra: Partial<Parameters<typeof createCaptureService>[0]> = {}): Promise<Harness> {
  const events: UnsequencedWireEvent[] = [];
  let waiters: { pred: () => boolean; resolve: () => void }[] = [];
  const check = () => {
    waiters = waiters.filter((w) => {
      if (!w.pred()) return true;
      w.resolve();
      return false;
    });
  };
  let nextId = 1;
  let svc!: CaptureService;
  const server = net.createServer((sock) => {
    const id = nextId++;
    svc.notifyOpen({ id, localAddress: sock.localAddress!, localPort: sock.localPort!, remoteAddress: sock.remoteAddress!, remotePort: sock.remotePort! });
    sock.on('data', (d) => sock.write(`Received: ${d.length}`));
    sock.on('end', () => sock.end());
    sock.on('error', () => {});
    sock.on('close', () => svc.notifyClose(id));
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const port = (server.address() as net.AddressInfo).port;
  svc = createCaptureService({
    port,
    enabled: true,
    emit: (ev) => {
      events.push(ev);
      check();
    },
    ...extra,
  });
  svc.start();
  const h: Harness = {
    svc,
    port,
    segments: () => events.filter((e): e is UnsequencedSegment => e.kind === 'segment'),
    samples: () => events.filter((e): e is UnsequencedSample => e.kind === 'sample'),
    until: (_what, pred) =>
      new Promise<void>((resolve) => {
        waiters.push({ pred, resolve });
        check();
      }),
    close: async () => {
      await svc.stop();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  cleanups.push(h.close);
  return h;
}

/** The tutorial's client: write Hello1\n, read the reply, then (after `beforeEnd`) close. */
function tutorialClient(port: number, host: string, beforeEnd: () => Promise<void> = async () => {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.connect(port, host, () => c.write('Hello1\n'));
    let reply = '';
    c.on('data', (d) => {
      reply += d.toString();
      if (reply.length >= 11) void beforeEnd().then(() => c.end());
    });
    c.on('error', reject);
    c.on('close', () => resolve(reply));
  });
}

const ofConn = (segs: UnsequencedSegment[], connId: number) => segs.filter((s) => s.connId === connId);
const has = (s: UnsequencedSegment, f: string) => s.flags.includes(f as never);

/** Both FINs are out and the last one acknowledged: the teardown is complete on the wire. */
function tornDown(segs: UnsequencedSegment[]): boolean {
  const sFin = segs.find((s) => s.direction === 's2c' && has(s, 'FIN'));
  const cFin = segs.find((s) => s.direction === 'c2s' && has(s, 'FIN'));
  if (sFin === undefined || cFin === undefined) return false;
  return segs.some((s) => s.direction === 'c2s' && s.relativeAck === sFin.relativeSeq + 1);
}

/** tcpdump's own reading of the exported file: one line per segment. */
function tcpdumpRead(pcap: Buffer): string[] {
  return execFileSync('tcpdump', ['-r', '-', '-nn', '-S', '-tt'], { input: pcap, stdio: ['pipe', 'pipe', 'pipe'] })
    .toString()
    .trim()
    .split('\n');
}

/** How tcpdump prints a flag set: F S R P . U E W, in that order. */
function tcpdumpFlags(s: UnsequencedSegment): string {
  const order: [string, string][] = [
    ['FIN', 'F'],
    ['SYN', 'S'],
    ['RST', 'R'],
    ['PSH', 'P'],
    ['ACK', '.'],
    ['URG', 'U'],
    ['ECE', 'E'],
    ['CWR', 'W'],
  ];
  return order
    .filter(([f]) => has(s, f))
    .map(([, c]) => c)
    .join('');
}

async function checkExport(h: Harness, connId: number): Promise<void> {
  const segs = ofConn(h.segments(), connId);
  const lines = tcpdumpRead(Buffer.from((await h.svc.pcapFor(connId))!));
  expect(lines).toHaveLength(segs.length);
  lines.forEach((line, i) => {
    const s = segs[i]!;
    const m = /^(\d+\.\d{6}) IP6? (\S+)\.(\d+) > (\S+)\.(\d+): Flags \[([^\]]*)\], (?:seq (\d+)(?::\d+)?, )?(?:ack (\d+), )?win (\d+),.* length (\d+)/.exec(line);
    expect(m, line).not.toBeNull();
    const [, ts, , sport, , dport, flags, seq, ack, win, len] = m!;
    expect(Number(ts)).toBeCloseTo(s.t / 1000, 5);
    expect(s.direction === 'c2s' ? Number(dport) : Number(sport)).toBe(h.port);
    expect(flags).toBe(tcpdumpFlags(s));
    if (seq !== undefined) expect(Number(seq)).toBe(s.seqNumber);
    if (ack !== undefined) expect(Number(ack)).toBe(s.ackNumber);
    expect(Number(win)).toBe(s.windowRaw);
    expect(Number(len)).toBe(s.payloadLength);
  });
}

describe('capture service (real tcpdump on lo)', () => {
  it(
    "captures the tutorial's exchange over IPv4: handshake, Hello1, Received: 7, FIN teardown, and exports it",
    async () => {
      const h = await startHarness('127.0.0.1');
      expect(await h.svc.whenListening()).toBe(true);
      expect(h.svc.state()).toMatchObject({ active: true, reason: null });

      const reply = await tutorialClient(h.port, '127.0.0.1', async () => {
        // While the connection is open, the kernel's view of both its ends.
        await h.svc.sampleNow();
      });
      expect(reply).toBe('Received: 7');
      await h.until('the teardown', () => tornDown(ofConn(h.segments(), 1)));

      const segs = ofConn(h.segments(), 1);
      expect(segs).toEqual(h.segments());
      for (const { bytes, ...s } of segs) expect(SegmentEventSchema.safeParse({ ...s, hex: toHex(bytes), seq: 0 }).error).toBeUndefined();

      const [syn, synAck, ack] = segs;
      expect(syn).toMatchObject({ direction: 'c2s', flags: ['SYN'], relativeSeq: 0, relativeAck: null, ipVersion: 4, windowShift: 0 });
      expect(syn!.options).toMatchObject({ mss: expect.any(Number), sackPermitted: true, windowScale: expect.any(Number), timestamps: { value: expect.any(Number), echo: 0 } });
      expect(synAck).toMatchObject({ direction: 's2c', flags: ['ACK', 'SYN'], relativeSeq: 0, relativeAck: 1, ackNumber: (syn!.seqNumber + 1) >>> 0 });
      expect(ack).toMatchObject({ direction: 'c2s', flags: ['ACK'], relativeSeq: 1, relativeAck: 1, payloadLength: 0 });
      // After the handshake, windows are scaled by the sender's offered shift.
      expect(ack!.windowShift).toBe(syn!.options.windowScale);
      expect(ack!.window).toBe(ack!.windowRaw * 2 ** syn!.options.windowScale!);

      const hello = segs.find((s) => s.direction === 'c2s' && s.payloadLength > 0)!;
      expect(hello).toMatchObject({ relativeSeq: 1, payloadLength: 7, truncated: false, ipHeaderLength: 20 });
      expect(toHex(hello!.bytes)).toBe('48 65 6C 6C 6F 31 0A');
      expect(hello.ipTotalLength - hello.ipHeaderLength - hello.tcpHeaderLength).toBe(7);
      expect(segs.filter((s) => s.direction === 'c2s' && s.payloadLength > 0)).toHaveLength(1);

      // Its acknowledgment: a pure ACK or riding on the reply, whichever the kernel chose.
      const acked = segs.find((s) => s.direction === 's2c' && s.relativeAck === 8)!;
      expect(acked).toBeDefined();
      expect(segs.indexOf(acked)).toBeGreaterThan(segs.indexOf(hello));
      const answer = segs.find((s) => s.direction === 's2c' && s.payloadLength > 0)!;
      expect(answer).toMatchObject({ relativeSeq: 1, relativeAck: 8, payloadLength: 11 });
      expect(toHex(answer!.bytes)).toBe('52 65 63 65 69 76 65 64 3A 20 37');

      const cFin = segs.find((s) => s.direction === 'c2s' && has(s, 'FIN'))!;
      const sFin = segs.find((s) => s.direction === 's2c' && has(s, 'FIN'))!;
      expect(cFin).toMatchObject({ relativeSeq: 8, relativeAck: 12 });
      expect(sFin).toMatchObject({ relativeSeq: 12, relativeAck: 9 });
      expect(segs.some((s) => has(s, 'RST'))).toBe(false);
      // Capture timestamps, in order.
      expect(segs.map((s) => s.t)).toEqual([...segs.map((s) => s.t)].sort((a, b) => a - b));

      const samples = h.samples().filter((s) => s.connId === 1);
      expect(samples.map((s) => s.side).sort()).toEqual(['client', 'server']);
      for (const s of samples) {
        expect(SampleEventSchema.safeParse({ ...s, seq: 0 }).error).toBeUndefined();
        // Both ends read all that reached them; Send-Q may still hold bytes a delayed ACK has not covered.
        expect(s).toMatchObject({ state: 'ESTAB', recvQ: 0 });
        expect(s.cwnd).toBeGreaterThan(0);
      }

      const st: CaptureState = h.svc.state();
      expect(st).toMatchObject({ active: true, framesMalformed: 0, framesUnmatched: 0, restarts: 0 });
      expect(st.framesSeen).toBe(segs.length);

      await checkExport(h, 1);
      expect(await h.svc.pcapFor(99)).toBeUndefined();
    },
    TIMEOUT,
  );

  it(
    'captures IPv6 on ::1 and IPv4 clients of a dual-stack socket, each on its own connection',
    async () => {
      const h = await startHarness('::');
      expect(await h.svc.whenListening()).toBe(true);
      expect(await tutorialClient(h.port, '::1')).toBe('Received: 7');
      await h.until('the IPv6 teardown', () => tornDown(ofConn(h.segments(), 1)));
      expect(await tutorialClient(h.port, '127.0.0.1')).toBe('Received: 7');
      await h.until('the IPv4 teardown', () => tornDown(ofConn(h.segments(), 2)));

      const v6 = ofConn(h.segments(), 1);
      const v4 = ofConn(h.segments(), 2);
      expect(new Set(v6.map((s) => s.ipVersion))).toEqual(new Set([6]));
      expect(new Set(v4.map((s) => s.ipVersion))).toEqual(new Set([4]));
      const hello6 = v6.find((s) => s.direction === 'c2s' && s.payloadLength > 0)!;
      expect(hello6).toMatchObject({ relativeSeq: 1, payloadLength: 7, ipHeaderLength: 40 });
      expect(hello6.ipTotalLength - 40 - hello6.tcpHeaderLength).toBe(7);
      expect(v4[0]).toMatchObject({ flags: ['SYN'], relativeSeq: 0 });
      await checkExport(h, 1);
      await checkExport(h, 2);
    },
    TIMEOUT,
  );

  it(
    'shows the RST of a client that closes with a reply it never read',
    async () => {
      const h = await startHarness('127.0.0.1');
      expect(await h.svc.whenListening()).toBe(true);
      const c = new net.Socket();
      // Never read: the reply stays in the client's receive queue, so its close must reset.
      c.pause();
      c.on('error', () => {});
      c.connect(h.port, '127.0.0.1', () => c.write('Hello1\n'));
      await h.until('the reply on the wire', () => ofConn(h.segments(), 1).some((s) => s.direction === 's2c' && s.payloadLength === 11));
      c.destroy();
      await h.until('the reset', () => ofConn(h.segments(), 1).some((s) => has(s, 'RST')));

      const rst = ofConn(h.segments(), 1).find((s) => has(s, 'RST'))!;
      expect(rst).toMatchObject({ direction: 'c2s', relativeSeq: 8, payloadLength: 0 });
      expect(ofConn(h.segments(), 1).some((s) => s.direction === 'c2s' && has(s, 'FIN'))).toBe(false);
      await checkExport(h, 1);
    },
    TIMEOUT,
  );

  it(
    'keeps working, and says why, when the capture program fails',
    async () => {
      const changes: CaptureState[] = [];
      const h = await startHarness('127.0.0.1', {
        command: ['sh', '-c', 'echo "tcpdump: simulated failure" >&2; exit 1'],
        backoff: { initialMs: 1, maxMs: 4, maxAttempts: 2 },
        onStateChange: (s) => changes.push(s),
      });
      expect(await h.svc.whenListening()).toBe(false);
      expect(h.svc.state()).toEqual({
        active: false,
        reason: 'the capture program (sh) exited with code 1: tcpdump: simulated failure; gave up after 2 restarts',
        framesSeen: 0,
        framesMalformed: 0,
        framesUnmatched: 0,
        restarts: 2,
        framesDropped: 0,
        segmentsSummarized: 0,
        summarizedByConn: [],
        detailSegmentsPerSec: CAPTURE_DETAIL_SEGMENTS_PER_SEC,
        ports: [h.port],
        filterChanges: 0,
        handoverDuplicates: 0,
        eventsShed: 0,
      });
      expect(changes.at(-1)).toEqual(h.svc.state());
      // The echo server and the socket samples go on without capture.
      expect(await tutorialClient(h.port, '127.0.0.1', () => h.svc.sampleNow())).toBe('Received: 7');
      expect(h.segments()).toEqual([]);
      expect(h.samples().length).toBeGreaterThan(0);
      expect(await h.svc.pcapFor(1)).toBeUndefined();
    },
    TIMEOUT,
  );

  it(
    'counts and skips malformed frames, and holds segments until their accept is logged',
    async () => {
      const good = buildFrame({ srcPort: 40001, dstPort: 7, flags: FLAG_SYN, seq: 5 });
      const pcap = writePcap(LINKTYPE_ETHERNET, [
        { tsSec: 1, tsNsec: 0, data: good.subarray(0, 30), originalLength: good.length },
        { tsSec: 2, tsNsec: 0, data: good, originalLength: good.length },
      ]).toString('base64');
      const events: UnsequencedWireEvent[] = [];
      let gaveUp!: () => void;
      const ended = new Promise<void>((r) => (gaveUp = r));
      const svc = createCaptureService({
        port: 7,
        enabled: true,
        sampling: false,
        // Writes its two frames and exits: all of its output is read before its exit is handled.
        command: [process.execPath, '-e', `process.stdout.write(Buffer.from('${pcap}','base64'))`],
        backoff: { maxAttempts: 0 },
        emit: (e) => events.push(e),
        onStateChange: (s) => {
          if (s.reason?.includes('gave up')) gaveUp();
        },
      });
      cleanups.push(() => svc.stop());
      svc.start();
      await ended;
      expect(svc.state()).toMatchObject({ active: false, framesSeen: 2, framesMalformed: 1, framesUnmatched: 0 });
      expect(events).toEqual([]);
      svc.notifyOpen({ id: 5, localAddress: '127.0.0.1', localPort: 7, remoteAddress: '::ffff:127.0.0.1', remotePort: 40001 });
      expect(events).toEqual([expect.objectContaining({ kind: 'segment', connId: 5, t: 2000, direction: 'c2s', flags: ['SYN'] })]);
      expect((await svc.pcapFor(5))!.length).toBe(24 + 16 + good.length);
    },
    TIMEOUT,
  );

  it(
    'past its detail budget, counts plain segments instead of showing them: every frame is shown, summarised or accounted for, and all are in the pcap',
    async () => {
      const h = await startHarness('127.0.0.1', { gateOptions: { ratePerSec: 0, burst: 5 }, sampling: false });
      expect(await h.svc.whenListening()).toBe(true);
      const c = net.connect({ port: h.port, host: '127.0.0.1', noDelay: true });
      await new Promise<void>((r) => c.once('connect', () => r()));
      c.on('data', () => {});
      // Each write waits for the last to reach the kernel: one segment each, and a reply segment each.
      for (let i = 0; i < 100; i++) await new Promise<void>((r, j) => c.write(`m${i}`, (e) => (e ? j(e) : r())));
      c.end();
      await new Promise<void>((r) => c.once('close', () => r()));
      const fins = () => ofConn(h.segments(), 1).filter((s) => has(s, 'FIN'));
      await h.until('both FINs of connection 1', () => fins().length >= 2);

      const st = h.svc.state();
      const shown = ofConn(h.segments(), 1);
      const summarised = st.summarizedByConn?.find((x) => x.connId === 1)?.segments ?? 0;
      expect(summarised).toBeGreaterThan(0);
      expect(st.segmentsSummarized).toBe(summarised);
      // Counts stay exact: each frame read is shown, summarised, or counted as unmatched or malformed.
      expect(st.framesSeen).toBe(h.segments().length + st.segmentsSummarized! + st.framesUnmatched + st.framesMalformed);
      // What always shows: the handshake and both FINs.
      expect(shown.filter((s) => has(s, 'SYN'))).toHaveLength(2);
      expect(fins()).toHaveLength(2);
      // The pcap download has every frame of the connection, summarised ones included.
      expect(tcpdumpRead(Buffer.from((await h.svc.pcapFor(1))!))).toHaveLength(shown.length + summarised);
    },
    TIMEOUT,
  );

  it('runs no capture with --no-capture, and says so', async () => {
    const h = await startHarness('127.0.0.1', { enabled: false, sampling: false });
    expect(await h.svc.whenListening()).toBe(false);
    expect(h.svc.state()).toEqual({
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
      ports: [h.port],
      filterChanges: 0,
      handoverDuplicates: 0,
      eventsShed: 0,
    });
    expect(NO_CAPTURE_REASON).toBe('turned off with --no-capture');
  });
});
