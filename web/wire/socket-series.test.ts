import { describe, expect, it } from 'vitest';
import type { SampleEvent } from '../../shared/wire.ts';
import { niceCeil, socketSeries } from './socket-series.ts';

function sample(t: number, side: 'server' | 'client', recvQ: number, sendQ = 0, rcvWnd: number | null = 65536): SampleEvent {
  return { kind: 'sample', seq: 0, t, connId: 1, side, state: 'ESTAB', recvQ, sendQ, rttMs: 0.05, rttVarMs: 0.02, cwnd: 10, sndWnd: 65536, rcvWnd, rcvSpace: 65483, mss: 32768 };
}

describe('socketSeries', () => {
  it('joins the two ends sampled at one moment into one point, and carries a side forward until it is sampled again', () => {
    const s = socketSeries([sample(100, 'server', 0), sample(100, 'client', 0), sample(350, 'server', 5000), sample(600, 'server', 0), sample(600, 'client', 0, 12)]);
    expect(s.t0).toBe(100);
    expect(s.points.map((p) => [p.x, p.serverRecvQ, p.clientRecvQ, p.clientSendQ])).toEqual([
      [0, 0, 0, 0],
      [250, 5000, 0, 0],
      [500, 0, 0, 12],
    ]);
    expect(s.maxQueue).toBe(5000);
    expect(s.hasWindows).toBe(true);
  });

  it('leaves a side empty until its first sample, and says when ss gave no windows', () => {
    const s = socketSeries([sample(1, 'server', 3, 0, null)], 0);
    expect(s.points).toEqual([expect.objectContaining({ x: 1, serverRecvQ: 3, clientRecvQ: null })]);
    expect(s.hasWindows).toBe(false);
    expect(socketSeries([]).points).toEqual([]);
  });

  it('rounds the axis top up to a number that reads well', () => {
    expect([0, 7, 21, 5500, 65536, 100].map(niceCeil)).toEqual([8, 8, 25, 6000, 80000, 100]);
  });
});
