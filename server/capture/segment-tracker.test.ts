import { describe, expect, it } from 'vitest';
import { toHex } from '../../shared/hex.ts';
import { EVENT_HEX_MAX_BYTES, EVENT_THIN_HEX_BYTES, SEGMENT_KEPT_BYTES_PER_SEC } from '../../shared/limits.ts';
import { SegmentEventSchema } from '../../shared/wire.ts';
import { buildFrame, opt, type FrameSpec } from './frame-builder.ts';
import { decodeFrame, FLAG_ACK, FLAG_FIN, FLAG_PSH, FLAG_SYN, type DecodedSegment } from './packet-decode.ts';
import { LINKTYPE_ETHERNET } from './pcap-reader.ts';
import { createSegmentTracker, type SegmentTracker, type TrackedSegment } from './segment-tracker.ts';

const PORT = 5055;
const CLIENT = 60002;
const C_ISN = 968201655;
const S_ISN = 3904890889;
const TUPLE = { localAddress: '127.0.0.1', localPort: PORT, remoteAddress: '127.0.0.1', remotePort: CLIENT };

function seg(spec: FrameSpec): DecodedSegment {
  const r = decodeFrame(LINKTYPE_ETHERNET, buildFrame(spec));
  if (!r.ok) throw new Error(r.error);
  return r.segment;
}
const c2s = (s: FrameSpec) => seg({ srcPort: CLIENT, dstPort: PORT, ...s });
const s2c = (s: FrameSpec) => seg({ srcPort: PORT, dstPort: CLIENT, ...s });

/** The tutorial's exchange as the kernel put it on the wire: handshake, Hello1, Received: 7, FIN teardown. */
function tutorial(clientPort = CLIENT, cIsn = C_ISN, sIsn = S_ISN): DecodedSegment[] {
  const c = (s: FrameSpec) => seg({ srcPort: clientPort, dstPort: PORT, ...s });
  const s = (sp: FrameSpec) => seg({ srcPort: PORT, dstPort: clientPort, ...sp });
  return [
    c({ flags: FLAG_SYN, seq: cIsn, window: 65495, options: [...opt.mss(65495), ...opt.sackOk(), ...opt.ts(1, 0), ...opt.ws(10)] }),
    s({ flags: FLAG_SYN | FLAG_ACK, seq: sIsn, ack: cIsn + 1, window: 65483, options: [...opt.mss(65495), ...opt.sackOk(), ...opt.ts(2, 1), ...opt.ws(10)] }),
    c({ flags: FLAG_ACK, seq: cIsn + 1, ack: sIsn + 1, window: 64 }),
    c({ flags: FLAG_PSH | FLAG_ACK, seq: cIsn + 1, ack: sIsn + 1, window: 64, payload: 'Hello1\n' }),
    s({ flags: FLAG_ACK, seq: sIsn + 1, ack: cIsn + 8, window: 64 }),
    s({ flags: FLAG_PSH | FLAG_ACK, seq: sIsn + 1, ack: cIsn + 8, window: 64, payload: 'Received: 7' }),
    c({ flags: FLAG_ACK, seq: cIsn + 8, ack: sIsn + 12, window: 64 }),
    c({ flags: FLAG_FIN | FLAG_ACK, seq: cIsn + 8, ack: sIsn + 12, window: 64 }),
    s({ flags: FLAG_FIN | FLAG_ACK, seq: sIsn + 12, ack: cIsn + 9, window: 64 }),
    c({ flags: FLAG_ACK, seq: cIsn + 9, ack: sIsn + 13, window: 64 }),
  ];
}

function feed(tr: SegmentTracker<number>, segs: DecodedSegment[], t0 = 1000): TrackedSegment<number>[] {
  return segs.flatMap((s, i) => tr.ingest(s, t0 + i, i, 100));
}

describe('segment tracker', () => {
  it('gives direction, relative numbers and scaled windows as Wireshark does', () => {
    const tr = createSegmentTracker<number>(PORT);
    expect(tr.open(7, TUPLE)).toEqual([]);
    const out = feed(tr, tutorial());
    expect(out).toHaveLength(10);
    const rows = out.map((o) => [o.event.direction, o.event.flags.join(','), o.event.relativeSeq, o.event.relativeAck, o.event.payloadLength, o.event.window]);
    expect(rows).toEqual([
      ['c2s', 'SYN', 0, null, 0, 65495],
      ['s2c', 'ACK,SYN', 0, 1, 0, 65483],
      ['c2s', 'ACK', 1, 1, 0, 64 * 1024],
      ['c2s', 'ACK,PSH', 1, 1, 7, 64 * 1024],
      ['s2c', 'ACK', 1, 8, 0, 64 * 1024],
      ['s2c', 'ACK,PSH', 1, 8, 11, 64 * 1024],
      ['c2s', 'ACK', 8, 12, 0, 64 * 1024],
      ['c2s', 'ACK,FIN', 8, 12, 0, 64 * 1024],
      ['s2c', 'ACK,FIN', 12, 9, 0, 64 * 1024],
      ['c2s', 'ACK', 9, 13, 0, 64 * 1024],
    ]);
    expect(out.every((o) => o.connId === 7 && o.event.connId === 7)).toBe(true);
    const hello = out[3]!.event;
    expect(toHex(hello!.bytes)).toBe('48 65 6C 6C 6F 31 0A');
    expect(hello).toMatchObject({ truncated: false, seqNumber: C_ISN + 1, windowRaw: 64, windowShift: 10, t: 1003 });
    expect(hello.ipTotalLength - hello.ipHeaderLength - hello.tcpHeaderLength).toBe(7);
    expect(out[0]!.event.windowShift).toBe(0);
    expect(out.map((o) => o.frame)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const { event: { bytes, ...rest } } of out) expect(SegmentEventSchema.safeParse({ ...rest, hex: toHex(bytes), seq: 1 }).success).toBe(true);
  });

  it('holds segments until the accept is logged, then hands them over in order', () => {
    const tr = createSegmentTracker<number>(PORT);
    const segs = tutorial();
    expect(feed(tr, segs.slice(0, 3))).toEqual([]);
    expect(tr.stats().pendingSegments).toBe(3);
    const flushed = tr.open(3, TUPLE);
    expect(flushed.map((f) => [f.connId, f.event.connId, f.event.flags.join(',')])).toEqual([
      [3, 3, 'SYN'],
      [3, 3, 'ACK,SYN'],
      [3, 3, 'ACK'],
    ]);
    expect(feed(tr, segs.slice(3)).map((o) => o.connId)).toEqual([3, 3, 3, 3, 3, 3, 3]);
    expect(tr.stats()).toMatchObject({ pendingSegments: 0, unmatched: 0 });
  });

  it('matches an IPv4 peer that a dual-stack socket reports as ::ffff:127.0.0.1', () => {
    const tr = createSegmentTracker<number>(PORT);
    feed(tr, tutorial().slice(0, 1));
    expect(tr.open(1, { ...TUPLE, localAddress: '::ffff:127.0.0.1', remoteAddress: '::ffff:127.0.0.1' })).toHaveLength(1);
  });

  it('drops the segments of connections tcpscope never accepted, once they are old enough', () => {
    const tr = createSegmentTracker<number>(PORT, { pendingMaxAgeMs: 100 });
    feed(tr, tutorial(41000).slice(0, 2), 0);
    expect(tr.stats()).toMatchObject({ pendingSegments: 2, unmatched: 0 });
    tr.open(9, TUPLE);
    feed(tr, tutorial().slice(0, 1), 500);
    expect(tr.stats()).toMatchObject({ pendingSegments: 0, unmatched: 2 });
    expect(tr.open(10, { ...TUPLE, remotePort: 41000 })).toEqual([]);
  });

  it('bounds what it holds: per tuple, in all, and the number of tuples', () => {
    const perTuple = createSegmentTracker<number>(PORT, { pendingPerTuple: 2 });
    feed(perTuple, tutorial());
    expect(perTuple.stats()).toMatchObject({ pendingSegments: 2, unmatched: 8 });
    // The handshake is what is kept.
    expect(perTuple.open(1, TUPLE).map((f) => f.event.flags.join(','))).toEqual(['SYN', 'ACK,SYN']);

    const total = createSegmentTracker<number>(PORT, { pendingTotal: 3 });
    for (let p = 0; p < 5; p++) feed(total, tutorial(42000 + p).slice(0, 1));
    expect(total.stats()).toMatchObject({ pendingSegments: 3, unmatched: 2 });

    const bytes = createSegmentTracker<number>(PORT, { pendingBytes: 250 });
    feed(bytes, tutorial());
    expect(bytes.stats()).toMatchObject({ pendingSegments: 2 });

    const tuples = createSegmentTracker<number>(PORT, { maxTuples: 4 });
    for (let p = 0; p < 10; p++) feed(tuples, tutorial(43000 + p).slice(0, 1));
    expect(tuples.stats()).toMatchObject({ tuples: 4, pendingSegments: 4, unmatched: 6 });
  });

  it('counts from the first segment seen, and leaves the scale unknown, when the handshake was missed', () => {
    const tr = createSegmentTracker<number>(PORT);
    tr.open(1, TUPLE);
    const out = feed(tr, tutorial().slice(3));
    expect(out[0]!.event).toMatchObject({ relativeSeq: 0, relativeAck: null, windowShift: null, window: 64 });
    expect(out[1]!.event).toMatchObject({ direction: 's2c', relativeSeq: 0, relativeAck: 7 });
  });

  it('does not scale windows unless both ends offered a scale', () => {
    const tr = createSegmentTracker<number>(PORT);
    tr.open(1, TUPLE);
    const out = feed(tr, [
      c2s({ flags: FLAG_SYN, seq: 1, options: opt.ws(7) }),
      s2c({ flags: FLAG_SYN | FLAG_ACK, seq: 100, ack: 2 }),
      c2s({ flags: FLAG_ACK, seq: 2, ack: 101, window: 64 }),
    ]);
    expect(out[2]!.event).toMatchObject({ windowShift: 0, window: 64 });
  });

  it('caps the hex at EVENT_HEX_MAX_BYTES and says so', () => {
    const tr = createSegmentTracker<number>(PORT);
    tr.open(1, TUPLE);
    const big = new Uint8Array(EVENT_HEX_MAX_BYTES + 10).fill(0x41);
    const [o] = feed(tr, [c2s({ payload: big })]);
    expect(o!.event.payloadLength).toBe(EVENT_HEX_MAX_BYTES + 10);
    expect(o!.event.bytes).toHaveLength(EVENT_HEX_MAX_BYTES);
    expect(o!.event.truncated).toBe(true);
  });

  it('keeps whole payloads for SEGMENT_KEPT_BYTES_PER_SEC, then their first bytes until the next tenth of a second, each a copy of its own', () => {
    const tr = createSegmentTracker<number>(PORT);
    tr.open(1, TUPLE);
    const payload = new Uint8Array(EVENT_HEX_MAX_BYTES).fill(0x42);
    const whole = Math.ceil(SEGMENT_KEPT_BYTES_PER_SEC / 10 / EVENT_HEX_MAX_BYTES);
    const at = (t: number, n: number, from: number) =>
      Array.from({ length: n }, (_, i) => tr.ingest(c2s({ seq: C_ISN + (from + i) * EVENT_HEX_MAX_BYTES, payload }), t, i, 100)[0]!.event);
    const first = at(5000, whole + 20, 0);
    expect(first.slice(0, whole).map((e) => e.bytes.length)).toEqual(Array(whole).fill(EVENT_HEX_MAX_BYTES));
    expect(first.slice(whole).map((e) => [e.bytes.length, e.truncated, e.payloadLength])).toEqual(Array(20).fill([EVENT_THIN_HEX_BYTES, true, EVENT_HEX_MAX_BYTES]));
    // Its own bytes: not a view of the frame, which the store would then hold whole.
    expect(first[0]!.bytes.buffer.byteLength).toBe(EVENT_HEX_MAX_BYTES);
    expect(first.at(-1)!.bytes.buffer.byteLength).toBe(EVENT_THIN_HEX_BYTES);
    const next = at(5100, 1, whole + 20);
    expect(next[0]!.bytes).toHaveLength(EVENT_HEX_MAX_BYTES);
  });

  it('drops segments on neither side of the echo port', () => {
    const tr = createSegmentTracker<number>(PORT);
    expect(tr.ingest(seg({ srcPort: 1, dstPort: 2 }), 0, 0, 1)).toEqual([]);
    expect(tr.stats().unmatched).toBe(1);
  });

  it('tells the server end by a set of ports (the echo port and the watched ones), which may change', () => {
    const WATCHED = 8080;
    const ports = new Set([PORT]);
    const tr = createSegmentTracker<number>(ports);
    const toWatched = seg({ srcPort: CLIENT, dstPort: WATCHED, flags: FLAG_SYN, seq: C_ISN });
    expect(tr.ingest(toWatched, 1000, 0, 100)).toEqual([]);
    expect(tr.stats().unmatched).toBe(1);
    ports.add(WATCHED);
    expect(tr.ingest(toWatched, 1001, 1, 100)).toEqual([]); // held until the watched connection opens
    const fromWatched = seg({ srcPort: WATCHED, dstPort: CLIENT, flags: FLAG_SYN | FLAG_ACK, seq: S_ISN, ack: C_ISN + 1 });
    expect(tr.ingest(fromWatched, 1002, 2, 100)).toEqual([]);
    const out = tr.open(9, { ...TUPLE, localPort: WATCHED });
    expect(out.map((o) => [o.connId, o.event.direction, o.event.relativeAck])).toEqual([
      [9, 'c2s', null],
      [9, 's2c', 1],
    ]);
    // The same client port towards the echo port is another connection.
    expect(tr.open(7, TUPLE)).toEqual([]);
    expect(feed(tr, tutorial()).every((o) => o.connId === 7)).toBe(true);
  });

  it('starts afresh when the client port is reused, whichever of SYN and accept comes first', () => {
    // SYN first: the new connection's segments wait for its accept.
    const a = createSegmentTracker<number>(PORT);
    a.open(1, TUPLE);
    feed(a, tutorial());
    const second = tutorial(CLIENT, C_ISN + 50000, S_ISN + 7);
    expect(feed(a, second.slice(0, 2))).toEqual([]);
    const flushed = a.open(2, TUPLE);
    expect(flushed.map((f) => [f.connId, f.event.relativeSeq, f.event.relativeAck])).toEqual([
      [2, 0, null],
      [2, 0, 1],
    ]);

    // Accept first: the old connection's last segments stay with it until the new SYN.
    const b = createSegmentTracker<number>(PORT);
    b.open(1, TUPLE);
    const first = tutorial();
    feed(b, first.slice(0, 9));
    expect(b.open(2, TUPLE)).toEqual([]);
    expect(feed(b, first.slice(9)).map((o) => o.connId)).toEqual([1]);
    expect(feed(b, second).map((o) => [o.connId, o.event.relativeSeq])).toEqual([
      [2, 0],
      [2, 0],
      [2, 1],
      [2, 1],
      [2, 1],
      [2, 1],
      [2, 8],
      [2, 8],
      [2, 12],
      [2, 9],
    ]);
  });

  it('treats a retransmitted SYN as the same connection', () => {
    const tr = createSegmentTracker<number>(PORT);
    tr.open(1, TUPLE);
    const [syn] = tutorial();
    const out = feed(tr, [syn!, syn!]);
    expect(out.map((o) => [o.connId, o.event.relativeSeq])).toEqual([
      [1, 0],
      [1, 0],
    ]);
  });
});
