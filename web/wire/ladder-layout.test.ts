import { describe, expect, it } from 'vitest';
import type { ChunkEvent } from '../../shared/events.ts';
import type { SegmentEvent } from '../../shared/wire.ts';
import { flowSummary, ladderLayout } from './ladder-layout.ts';
import { emptyWire, type ConnWire } from './wire-data.ts';

function segment(t: number, direction: 'c2s' | 's2c', flags: string[], relativeSeq: number, payloadLength = 0): SegmentEvent {
  return {
    kind: 'segment',
    seq: 0,
    t,
    connId: 1,
    direction,
    flags: flags as SegmentEvent['flags'],
    ipVersion: 4,
    seqNumber: 1000 + relativeSeq,
    ackNumber: 0,
    relativeSeq,
    relativeAck: 1,
    windowRaw: 512,
    window: 65536,
    windowShift: 7,
    payloadLength,
    ipTotalLength: 52 + payloadLength,
    ipHeaderLength: 20,
    tcpHeaderLength: 32,
    options: {},
    hex: '',
    truncated: false,
  };
}

function chunk(kind: 'write' | 'read' | 'reply', t: number, offset: number, length: number): ChunkEvent {
  return { kind, seq: 0, t, connId: 1, offset, length, hex: '', truncated: false } as ChunkEvent;
}

/** The built-in client's burst at buffer 7: three writes, one segment, three reads, at the times they happened. */
function burst(): ConnWire {
  const w = emptyWire(1);
  w.segments = [segment(1, 'c2s', ['SYN'], 0), segment(1.1, 's2c', ['SYN', 'ACK'], 0), segment(1.2, 'c2s', ['ACK'], 1), segment(5, 'c2s', ['PSH', 'ACK'], 1, 21)];
  w.writes = [chunk('write', 4, 0, 7), chunk('write', 4.1, 7, 7), chunk('write', 4.2, 14, 7)];
  w.reads = [chunk('read', 5, 0, 7), chunk('read', 5.2, 7, 7), chunk('read', 5.3, 14, 7)];
  return w;
}

describe('ladderLayout', () => {
  it('puts writes, the segment and the reads in the order they happened, a write before its segment at equal times', () => {
    const layout = ladderLayout(burst(), [], 100);
    expect(layout.items.map((i) => i.kind)).toEqual(['segment', 'segment', 'segment', 'write', 'write', 'write', 'segment', 'read', 'read', 'read']);
    expect(layout.t0).toBe(1);
    expect(layout.elided).toBeNull();
  });

  it('keeps the start and the end of a long connection and says how much it left out', () => {
    const w = emptyWire(1);
    w.reads = Array.from({ length: 500 }, (_, i) => chunk('read', i, i, 1));
    const layout = ladderLayout(w, [], 100);
    expect(layout.items).toHaveLength(100);
    expect(layout.elided).toEqual({ at: 40, count: 400 });
    expect(layout.items[39]!.t).toBe(39);
    expect(layout.items[40]!.t).toBe(440);
  });

  it('sums the story up: writes → data segments → reads', () => {
    expect(flowSummary(burst())).toBe('3 writes → 1 data segment → 3 reads');
    const outside = burst();
    outside.writes = [];
    expect(flowSummary(outside)).toBe('1 data segment → 3 reads');
    const uncaptured = burst();
    uncaptured.segments = [];
    expect(flowSummary(uncaptured)).toBe('3 writes → 3 reads');
    expect(flowSummary(emptyWire(1))).toBeNull();
  });
});
