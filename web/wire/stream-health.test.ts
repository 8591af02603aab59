import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { streamHealth, summarizedFor, type HealthSegment } from './stream-health.ts';

let nextSeq = { c2s: 1000, s2c: 5000 };
function seg(direction: 'c2s' | 's2c', flags: string[], payloadLength = 0, extra: Partial<HealthSegment> = {}): HealthSegment {
  const other = direction === 'c2s' ? 's2c' : 'c2s';
  const s: HealthSegment = {
    direction,
    flags: flags as HealthSegment['flags'],
    seqNumber: nextSeq[direction],
    ackNumber: nextSeq[other],
    payloadLength,
    window: 65536,
    ...extra,
  };
  return s;
}

describe('streamHealth', () => {
  it('finds nothing wrong in the tutorial exchange', () => {
    nextSeq = { c2s: 1000, s2c: 5000 };
    const segs = [
      seg('c2s', ['SYN']),
      seg('s2c', ['ACK', 'SYN'], 0, { seqNumber: 5000, ackNumber: 1001 }),
      seg('c2s', ['ACK'], 0, { seqNumber: 1001, ackNumber: 5001 }),
      seg('c2s', ['ACK', 'PSH'], 7, { seqNumber: 1001, ackNumber: 5001 }),
      seg('s2c', ['ACK', 'PSH'], 11, { seqNumber: 5001, ackNumber: 1008 }),
      seg('c2s', ['ACK', 'FIN'], 0, { seqNumber: 1008, ackNumber: 5012 }),
    ];
    const h = streamHealth(segs);
    expect(h).toMatchObject({ segments: 6, retransmissions: 0, zeroWindows: 0, windowUpdates: 0, resets: 0 });
    expect(h.notes).toHaveLength(6);
  });

  it('counts a segment with the same seq and payload seen again in its direction as a retransmission', () => {
    const data = seg('c2s', ['ACK', 'PSH'], 21, { seqNumber: 1, ackNumber: 1 });
    const h = streamHealth([data, { ...data }, { ...data, direction: 's2c' }, { ...data, payloadLength: 7 }]);
    expect(h.retransmissions).toBe(1);
    expect(h.notes.map((n) => n.retransmission)).toEqual([false, true, false, false]);
    // A repeated SYN is one too; repeated pure ACKs are not (they take no sequence space).
    const syn = seg('c2s', ['SYN'], 0, { seqNumber: 9 });
    const ack = seg('c2s', ['ACK'], 0, { seqNumber: 9 });
    expect(streamHealth([syn, syn, ack, ack]).retransmissions).toBe(1);
  });

  it('counts zero windows, window updates and resets', () => {
    const a = seg('s2c', ['ACK'], 0, { seqNumber: 50, ackNumber: 80, window: 0 });
    const update = { ...a, window: 4096 };
    const rst = seg('c2s', ['ACK', 'RST'], 0, { seqNumber: 80, window: 0 });
    const h = streamHealth([a, update, rst]);
    expect(h).toMatchObject({ zeroWindows: 1, windowUpdates: 1, resets: 1 });
    expect(h.notes).toEqual([
      { retransmission: false, zeroWindow: true, windowUpdate: false, reset: false },
      { retransmission: false, zeroWindow: false, windowUpdate: true, reset: false },
      { retransmission: false, zeroWindow: false, windowUpdate: false, reset: true },
    ]);
    // A data segment with a new window is not a window update.
    expect(streamHealth([a, { ...update, payloadLength: 3 }]).windowUpdates).toBe(0);
  });

  it('never counts more of anything than there are segments, and sending each segment twice retransmits every one that takes sequence space', () => {
    const arb = fc.array(
      fc.record({
        direction: fc.constantFrom('c2s' as const, 's2c' as const),
        flags: fc.subarray(['ACK', 'PSH', 'SYN', 'FIN', 'RST'] as const).map((f) => [...f]),
        seqNumber: fc.integer({ min: 0, max: 50 }),
        ackNumber: fc.integer({ min: 0, max: 50 }),
        payloadLength: fc.integer({ min: 0, max: 3 }),
        window: fc.integer({ min: 0, max: 3 }),
      }),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(arb, (segs) => {
        const h = streamHealth(segs as HealthSegment[]);
        for (const n of [h.retransmissions, h.zeroWindows, h.windowUpdates, h.resets]) expect(n).toBeLessThanOrEqual(segs.length);
        expect(h.resets).toBe(segs.filter((s) => s.flags.includes('RST')).length);
        const doubled = streamHealth(segs.flatMap((s) => [s, s]) as HealthSegment[]);
        const occupying = segs.filter((s) => !s.flags.includes('RST') && (s.payloadLength > 0 || s.flags.includes('SYN') || s.flags.includes('FIN')));
        expect(doubled.retransmissions).toBeGreaterThanOrEqual(occupying.length);
      }),
    );
  });
});

describe('summarizedFor', () => {
  const base = { active: true, reason: null, framesSeen: 10, framesMalformed: 0, framesUnmatched: 0, restarts: 0 };
  it('gives the count the capture state lists for the connection, with the rate, or null', () => {
    const st = { ...base, segmentsSummarized: 9, summarizedByConn: [{ connId: 3, segments: 9 }], detailSegmentsPerSec: 2000 };
    expect(summarizedFor(st, 3)).toEqual({ segments: 9, perSec: 2000 });
    expect(summarizedFor(st, 4)).toBeNull();
    expect(summarizedFor(st, null)).toBeNull();
    expect(summarizedFor(null, 3)).toBeNull();
    // A server that does not say (older) summarised nothing as far as the page knows.
    expect(summarizedFor(base, 3)).toBeNull();
  });
});
