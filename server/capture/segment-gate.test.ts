import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildFrame, type FrameSpec } from './frame-builder.ts';
import { decodeFrame, FLAG_ACK, FLAG_FIN, FLAG_PSH, FLAG_RST, FLAG_SYN } from './packet-decode.ts';
import { LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2 } from './pcap-reader.ts';
import { createSegmentGate } from './segment-gate.ts';
import { newPeek, peekSegment, type SegmentPeek } from './segment-peek.ts';

const PORT = 5055;
const CLIENT = 40000;

function peekOf(spec: FrameSpec): SegmentPeek {
  const p = newPeek();
  if (!peekSegment(spec.linkType ?? LINKTYPE_ETHERNET, buildFrame(spec), PORT, p)) throw new Error('peek refused the frame');
  return p;
}
const c2s = (s: FrameSpec) => peekOf({ srcPort: CLIENT, dstPort: PORT, ...s });
const s2c = (s: FrameSpec) => peekOf({ srcPort: PORT, dstPort: CLIENT, ...s });

describe('segment peek', () => {
  it('reads the same fields as the full decoder, for IPv4 and IPv6 and every link type', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('127.0.0.1', '::1', '127.0.0.2'),
        fc.boolean(),
        fc.record({ seq: fc.nat(0xffffffff), ack: fc.nat(0xffffffff), flags: fc.nat(255), window: fc.nat(0xffff) }),
        fc.uint8Array({ maxLength: 100 }),
        fc.constantFrom(LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2),
        (addr, fromClient, h, payload, linkType) => {
          const spec: FrameSpec = { src: addr, dst: addr, srcPort: fromClient ? CLIENT : PORT, dstPort: fromClient ? PORT : CLIENT, ...h, payload, linkType };
          const frame = buildFrame(spec);
          const full = decodeFrame(linkType, frame);
          if (!full.ok) throw new Error(full.error);
          const p = newPeek();
          expect(peekSegment(linkType, frame, PORT, p)).toBe(true);
          expect(p).toMatchObject({
            ipVersion: full.segment.ipVersion,
            srcPort: full.segment.srcPort,
            dstPort: full.segment.dstPort,
            seq: full.segment.seqNumber,
            ack: full.segment.ackNumber,
            flags: full.segment.flagBits,
            windowRaw: full.segment.windowRaw,
            payloadLength: full.segment.payloadLength,
          });
        },
      ),
    );
  });

  it('gives both directions of a connection one key, and different clients different keys', () => {
    expect(c2s({}).clientKey).toBe(s2c({}).clientKey);
    expect(c2s({}).clientKey).not.toBe(c2s({ srcPort: CLIENT + 1 }).clientKey);
    expect(c2s({ src: '127.0.0.2', dst: '127.0.0.1' }).clientKey).not.toBe(c2s({}).clientKey);
    expect(c2s({ src: '::1', dst: '::1' }).clientKey).not.toBe(c2s({}).clientKey);
  });

  it('names the server port from a set: the destination if it is one, else the source', () => {
    const p = newPeek();
    const ports = new Set([PORT, 8080]);
    expect(peekSegment(LINKTYPE_ETHERNET, buildFrame({ srcPort: CLIENT, dstPort: 8080 }), ports, p)).toBe(true);
    expect([p.serverPort, p.clientKey % 2 ** 32 === 0x7f000001, Math.floor(p.clientKey / 2 ** 32)]).toEqual([8080, true, CLIENT]);
    expect(peekSegment(LINKTYPE_ETHERNET, buildFrame({ srcPort: 8080, dstPort: CLIENT }), ports, p)).toBe(true);
    expect(p.serverPort).toBe(8080);
  });

  it('leaves a frame it cannot read to the full decoder', () => {
    const frame = buildFrame({ srcPort: CLIENT, dstPort: PORT });
    expect(peekSegment(LINKTYPE_ETHERNET, frame.subarray(0, 40), PORT, newPeek())).toBe(false);
    expect(peekSegment(9999, frame, PORT, newPeek())).toBe(false);
  });
});

describe('segment gate', () => {
  /** A gate with a budget of `burst` plain segments and no refill, its flow already matched to connection 1. */
  function matched(burst = 0) {
    const gate = createSegmentGate({ ratePerSec: 0, burst });
    const syn = c2s({ flags: FLAG_SYN, seq: 1000 });
    expect(gate.judge(syn, PORT, 0)).toBe('detail');
    gate.bind(syn, 1);
    return gate;
  }

  it('always shows SYN, FIN and RST, the window closing, window updates and retransmissions', () => {
    const gate = matched();
    const j = (p: SegmentPeek) => gate.judge(p, PORT, 1);
    expect(j(c2s({ flags: FLAG_ACK | FLAG_PSH, seq: 1001, ack: 1, window: 100, payload: 'abc' }))).toBe('summarise');
    // The same bytes again: a retransmission.
    expect(j(c2s({ flags: FLAG_ACK | FLAG_PSH, seq: 1001, ack: 1, window: 100, payload: 'abc' }))).toBe('detail');
    expect(j(c2s({ flags: FLAG_ACK | FLAG_PSH, seq: 1004, ack: 1, window: 100, payload: 'de' }))).toBe('summarise');
    // The server's window closes: shown once, not for every segment while it stays closed.
    expect(j(s2c({ flags: FLAG_ACK, seq: 1, ack: 1006, window: 0 }))).toBe('detail');
    expect(j(s2c({ flags: FLAG_ACK | FLAG_PSH, seq: 1, ack: 1006, window: 0, payload: 'Received: 2' }))).toBe('summarise');
    // It opens again with the same ACK: a window update.
    expect(j(s2c({ flags: FLAG_ACK, seq: 12, ack: 1006, window: 512 }))).toBe('detail');
    expect(j(c2s({ flags: FLAG_ACK | FLAG_FIN, seq: 1006, ack: 12, window: 100 }))).toBe('detail');
    expect(j(s2c({ flags: FLAG_RST, seq: 12, window: 0 }))).toBe('detail');
  });

  it('shows plain segments while its budget lasts, refills it on the capture clock, and counts the rest per connection', () => {
    const gate = createSegmentGate({ ratePerSec: 1000, burst: 2 });
    const syn = c2s({ flags: FLAG_SYN, seq: 0 });
    gate.judge(syn, PORT, 0);
    gate.bind(syn, 7);
    let seq = 1;
    const data = (t: number) => {
      const p = c2s({ flags: FLAG_ACK, seq, ack: 1, window: 100, payload: 'x' });
      seq++;
      const v = gate.judge(p, PORT, t);
      if (v === 'summarise') gate.summarised(gate.connOf(p));
      return v;
    };
    expect([data(0), data(0), data(0), data(0)]).toEqual(['detail', 'detail', 'summarise', 'summarise']);
    expect(data(1)).toBe('detail'); // one ms at 1000/s: one more
    expect(data(1)).toBe('summarise');
    expect(gate.totals()).toEqual({ segments: 3, byConn: [{ connId: 7, segments: 3 }] });
  });

  it('shows every segment of a flow not yet matched to a connection (the tracker holds or drops them)', () => {
    const gate = createSegmentGate({ ratePerSec: 0, burst: 0 });
    for (let i = 0; i < 5; i++) expect(gate.judge(c2s({ flags: FLAG_ACK, seq: 1 + i, payload: 'y' }), PORT, 0)).toBe('detail');
  });

  it('keeps the flows to two server ports from one client port apart, and forgets a port on request', () => {
    const gate = createSegmentGate({ ratePerSec: 0, burst: 0 });
    const ports = new Set([PORT, 8080]);
    const at = (dstPort: number, seq: number, flags = FLAG_ACK, payload = 'x'): SegmentPeek => {
      const p = newPeek();
      peekSegment(LINKTYPE_ETHERNET, buildFrame({ srcPort: CLIENT, dstPort, flags, seq, payload }), ports, p);
      return p;
    };
    gate.judge(at(PORT, 1), PORT, 0);
    gate.bind(at(PORT, 1), 1);
    gate.judge(at(8080, 1), 8080, 0);
    gate.bind(at(8080, 1), 2);
    expect(gate.judge(at(PORT, 2), PORT, 0)).toBe('summarise');
    expect(gate.connOf(at(PORT, 2))).toBe(1);
    expect(gate.judge(at(8080, 2), 8080, 0)).toBe('summarise');
    expect(gate.connOf(at(8080, 2))).toBe(2);
    gate.forgetPort(8080);
    expect(gate.judge(at(8080, 3), 8080, 0)).toBe('detail'); // unmatched again: the tracker decides
  });

  it('forgets a flow\'s connection at a new SYN on the same tuple (a reused port)', () => {
    const gate = matched();
    expect(gate.judge(c2s({ flags: FLAG_ACK, seq: 1001, payload: 'z' }), PORT, 1)).toBe('summarise');
    expect(gate.judge(c2s({ flags: FLAG_SYN, seq: 5000 }), PORT, 2)).toBe('detail');
    expect(gate.judge(c2s({ flags: FLAG_ACK, seq: 5001, payload: 'z' }), PORT, 3)).toBe('detail');
  });

  it('counts every summarised segment, whatever the mix, and keeps a bounded list of connections', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ conn: fc.integer({ min: 1, max: 6 }), notable: fc.boolean() }), { maxLength: 400 }), (segs) => {
        const gate = createSegmentGate({ ratePerSec: 0, burst: 0, connectionsKept: 4 });
        const next = new Map<number, number>();
        let expected = 0;
        for (const conn of [1, 2, 3, 4, 5, 6]) {
          const syn = c2s({ srcPort: 40000 + conn, flags: FLAG_SYN, seq: 0 });
          gate.judge(syn, PORT, 0);
          gate.bind(syn, conn);
          next.set(conn, 1);
        }
        for (const s of segs) {
          const seq = next.get(s.conn)!;
          const p = c2s({ srcPort: 40000 + s.conn, flags: s.notable ? FLAG_ACK | FLAG_FIN : FLAG_ACK, seq, payload: 'q' });
          next.set(s.conn, seq + 1);
          if (gate.judge(p, PORT, 0) === 'summarise') {
            gate.summarised(gate.connOf(p));
            expected++;
          } else expect(s.notable).toBe(true);
        }
        const t = gate.totals();
        expect(t.segments).toBe(expected);
        expect(t.byConn.length).toBeLessThanOrEqual(4);
      }),
    );
  });
});
