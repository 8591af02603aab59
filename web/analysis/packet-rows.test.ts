import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SegmentEvent } from '../../shared/wire.ts';
import { moveSelection, nextSort, packetRows, sortRows, timeText } from './packet-rows.ts';

function seg(seq: number, t: number, over: Partial<SegmentEvent> = {}): SegmentEvent {
  return {
    seq,
    t,
    connId: 1,
    kind: 'segment',
    direction: 'c2s',
    flags: ['ACK'],
    ipVersion: 4,
    seqNumber: 0,
    ackNumber: 0,
    relativeSeq: 1,
    relativeAck: 1,
    windowRaw: 512,
    window: 65536,
    windowShift: 7,
    payloadLength: 0,
    ipTotalLength: 52,
    ipHeaderLength: 20,
    tcpHeaderLength: 32,
    options: {},
    hex: '',
    truncated: false,
    ...over,
  };
}

const segs = [
  seg(10, 1000, { flags: ['SYN'], relativeSeq: 0, relativeAck: null }),
  seg(11, 1000.25, { direction: 's2c', flags: ['SYN', 'ACK'], relativeSeq: 0 }),
  seg(12, 1000.5),
  seg(13, 1002, { flags: ['PSH', 'ACK'], payloadLength: 21 }),
];

describe('packet rows', () => {
  it('numbers in capture order and keeps numbers when filtered', () => {
    const rows = packetRows(segs, (s) => s.payloadLength > 0 || s.flags.includes('SYN'));
    expect(rows.map((r) => r.no)).toEqual([1, 2, 4]);
    expect(rows[2]!.info).toBe('[PSH, ACK] Seq=1 Ack=1 Win=65536 Len=21');
    expect(rows[1]!.flags).toBe('SYN, ACK');
  });

  it('gives times since start and deltas between shown rows', () => {
    const rows = packetRows(segs, (s) => s.seq !== 12);
    expect(rows.map((r) => timeText(r, 'relative'))).toEqual(['0.000000', '0.000250', '0.002000']);
    expect(rows.map((r) => timeText(r, 'delta'))).toEqual(['0.000000', '0.000250', '0.001750']);
    expect(timeText(rows[0]!, 'absolute')).toMatch(/^\d\d:\d\d:\d\d\.000000$/);
  });

  it('tags retransmissions in the info column', () => {
    const rows = packetRows(segs, undefined, [undefined, undefined, undefined, { retransmission: true }]);
    expect(rows[3]!.info).toMatch(/^\[TCP Retransmission\] \[PSH, ACK\]/);
  });

  it('sorts by a column, flips on a second click, and breaks ties by number', () => {
    const rows = packetRows(segs);
    let sort = nextSort({ key: 'no', descending: false }, 'len');
    expect(sortRows(rows, sort).map((r) => r.no)).toEqual([1, 2, 3, 4]);
    sort = nextSort(sort, 'len');
    expect(sort.descending).toBe(true);
    expect(sortRows(rows, sort).map((r) => r.no)).toEqual([4, 1, 2, 3]);
    expect(sortRows(rows, { key: 'dir', descending: false }).map((r) => r.no)).toEqual([1, 3, 4, 2]);
  });

  it('sorting is a permutation, and ascending then descending reverse each other on distinct keys', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 100 }), { maxLength: 40 }), (lens) => {
        const rows = packetRows(lens.map((len, i) => seg(i, i, { payloadLength: len })));
        const up = sortRows(rows, { key: 'len', descending: false });
        expect([...up].map((r) => r.no).sort((a, b) => a - b)).toEqual(rows.map((r) => r.no));
        for (let i = 1; i < up.length; i++) expect(up[i - 1]!.seg.payloadLength).toBeLessThanOrEqual(up[i]!.seg.payloadLength);
        const down = sortRows(rows, { key: 'no', descending: true });
        expect(down.map((r) => r.no)).toEqual(rows.map((r) => r.no).reverse());
      }),
    );
  });

  it('moves the selection by one row, clamped at both ends', () => {
    const rows = packetRows(segs);
    expect(moveSelection(rows, null, 1)!.seg.seq).toBe(10);
    expect(moveSelection(rows, null, -1)!.seg.seq).toBe(13);
    expect(moveSelection(rows, 11, 1)!.seg.seq).toBe(12);
    expect(moveSelection(rows, 10, -1)!.seg.seq).toBe(10);
    expect(moveSelection(rows, 13, 1)!.seg.seq).toBe(13);
    expect(moveSelection([], 13, 1)).toBeUndefined();
  });
});
