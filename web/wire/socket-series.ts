// The kernel's queues and windows of both ends of a connection, as chart points. ss looks at both ends
// in one run, so their samples share a time; each point carries every series, the last known value
// of a side standing until its next sample (unchanged sockets are reported only now and then).
import type { SampleEvent } from '../../shared/wire.ts';

export interface SocketPoint {
  /** Milliseconds since `t0`. */
  x: number;
  t: number;
  serverRecvQ: number | null;
  serverSendQ: number | null;
  clientRecvQ: number | null;
  clientSendQ: number | null;
  serverRcvWnd: number | null;
  clientRcvWnd: number | null;
  serverState: string | null;
  clientState: string | null;
}

export interface SocketSeries {
  points: SocketPoint[];
  t0: number;
  maxQueue: number;
  hasWindows: boolean;
}

export function socketSeries(samples: readonly SampleEvent[], t0 = samples[0]?.t ?? 0): SocketSeries {
  const points: SocketPoint[] = [];
  let cur: SocketPoint | null = null;
  let maxQueue = 0;
  let hasWindows = false;
  for (const s of samples) {
    if (cur === null || cur.t !== s.t) {
      const next: SocketPoint = cur === null ? blank(s.t, t0) : Object.assign({}, cur as SocketPoint, { t: s.t, x: s.t - t0 });
      points.push(next);
      cur = next;
    }
    if (s.side === 'server') {
      cur.serverRecvQ = s.recvQ;
      cur.serverSendQ = s.sendQ;
      cur.serverRcvWnd = s.rcvWnd;
      cur.serverState = s.state;
    } else {
      cur.clientRecvQ = s.recvQ;
      cur.clientSendQ = s.sendQ;
      cur.clientRcvWnd = s.rcvWnd;
      cur.clientState = s.state;
    }
    maxQueue = Math.max(maxQueue, s.recvQ, s.sendQ);
    hasWindows ||= s.rcvWnd !== null;
  }
  return { points, t0, maxQueue, hasWindows };
}

function blank(t: number, t0: number): SocketPoint {
  return {
    x: t - t0,
    t,
    serverRecvQ: null,
    serverSendQ: null,
    clientRecvQ: null,
    clientSendQ: null,
    serverRcvWnd: null,
    clientRcvWnd: null,
    serverState: null,
    clientState: null,
  };
}

/** The next round number above `n` (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × a power of ten), so ticks read well. */
export function niceCeil(n: number): number {
  if (n <= 8) return 8;
  const p = 10 ** Math.floor(Math.log10(n));
  const step = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * p >= n)!;
  return step * p;
}
