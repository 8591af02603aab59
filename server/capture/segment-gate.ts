// Decides which captured segments become `segment` events under load. Segments that tell something
// about the connection (SYN, FIN, RST, the window closing to zero, a window update, a retransmission)
// always do;
// plain data and ACK segments do while a rate budget lasts (CAPTURE_DETAIL_SEGMENTS_PER_SEC over all
// connections, a token bucket on the capture's own clock) and are otherwise counted, per connection,
// exactly: like the live stream's `skipped`, detail thins, totals do not. Every segment updates the
// per-flow state, so a retransmission is recognised even when the segment it repeats was summarised.
// Pure: no I/O, no clock of its own.
import { CAPTURE_DETAIL_BURST_SEGMENTS, CAPTURE_DETAIL_SEGMENTS_PER_SEC, CAPTURE_SUMMARY_CONNECTIONS_KEPT } from '../../shared/limits.ts';
import { FLAG_ACK, FLAG_FIN, FLAG_RST, FLAG_SYN } from './packet-decode.ts';
import type { SegmentPeek } from './segment-peek.ts';

export interface GateOptions {
  ratePerSec: number;
  burst: number;
  /** Flows remembered at once per server port; the least recently seen is forgotten first. */
  maxFlows: number;
  /** Connections whose summarised count is reported; the oldest is forgotten first. */
  connectionsKept: number;
}

export const DEFAULT_GATE_OPTIONS: GateOptions = {
  ratePerSec: CAPTURE_DETAIL_SEGMENTS_PER_SEC,
  burst: CAPTURE_DETAIL_BURST_SEGMENTS,
  maxFlows: 4096,
  connectionsKept: CAPTURE_SUMMARY_CONNECTIONS_KEPT,
};

interface Dir {
  /** The sequence number after the furthest byte seen; -1 before any data. */
  next: number;
  lastAck: number;
  lastWindow: number;
}

interface Flow {
  /** The connection the tracker matched this flow to; null until it did. */
  connId: number | null;
  c2s: Dir;
  s2c: Dir;
}

export type GateVerdict = 'detail' | 'summarise';

export interface SegmentGate {
  /**
   * Looks at one segment (`t` in ms, the capture's time) and says whether it goes out in detail.
   * 'summarise' is only ever said of a plain segment of a flow already matched to a connection;
   * the caller must then call `summarised`.
   */
  judge(p: SegmentPeek, serverPort: number, t: number): GateVerdict;
  /** The flow of `p` belongs to `connId` (the tracker matched one of its segments). */
  bind(p: SegmentPeek, connId: number): void;
  /** The connection of a segment just judged 'summarise'. */
  connOf(p: SegmentPeek): number;
  summarised(connId: number): void;
  /** The capture no longer looks at this server port (a watch was removed): its flows are forgotten. */
  forgetPort(serverPort: number): void;
  /** Plain segments counted but not shown in detail, in all and for the newest connections that had any. */
  totals(): { segments: number; byConn: { connId: number; segments: number }[] };
}

const newDir = (): Dir => ({ next: -1, lastAck: -1, lastWindow: -1 });

/** a comes before b in sequence space (RFC 1982 serial arithmetic on 32 bits). */
const before = (a: number, b: number): boolean => ((a - b) | 0) < 0;

export function createSegmentGate(options: Partial<GateOptions> = {}): SegmentGate {
  const o = { ...DEFAULT_GATE_OPTIONS, ...options };
  // Per server port (the echo port, each watched one), then per client end: a client port may be reused
  // towards two servers at once.
  const flowsByPort = new Map<number, Map<number, Flow>>();
  /** Summarised segments per connection, each in a box of its own so that the newest can be counted without a lookup. */
  const byConn = new Map<number, { segments: number }>();
  let total = 0;
  // The flow and the count met last: a stream's segments come in long runs of one flow, and the Map lookups
  // behind them (its key is not a small integer) were the gate's largest cost per frame.
  let lastPort = -1;
  let lastKey = -1;
  let lastFlow: Flow | null = null;
  let lastConnId = -1;
  let lastCount: { segments: number } | null = null;
  let tokens = o.burst;
  let lastT = -Infinity;

  function flowOf(serverPort: number, key: number): Flow {
    if (key === lastKey && serverPort === lastPort && lastFlow !== null) return lastFlow;
    lastFlow = lookUp(serverPort, key);
    lastPort = serverPort;
    lastKey = key;
    return lastFlow;
  }

  function lookUp(serverPort: number, key: number): Flow {
    let flows = flowsByPort.get(serverPort);
    if (flows === undefined) {
      flows = new Map();
      flowsByPort.set(serverPort, flows);
    }
    let f = flows.get(key);
    if (f === undefined) {
      f = { connId: null, c2s: newDir(), s2c: newDir() };
      flows.set(key, f);
      // The oldest flow goes; the cache holds the one just made, never the one forgotten.
      if (flows.size > o.maxFlows) flows.delete(flows.keys().next().value!);
    }
    return f;
  }

  return {
    judge(p, serverPort, t) {
      const f = flowOf(serverPort, p.clientKey);
      let notable = (p.flags & (FLAG_SYN | FLAG_FIN | FLAG_RST)) !== 0;
      if (p.flags & FLAG_SYN) {
        // A new connection on this tuple (or its handshake): the tracker matches it afresh.
        if (p.dstPort === serverPort && !(p.flags & FLAG_ACK)) {
          f.connId = null;
          f.c2s = newDir();
          f.s2c = newDir();
        }
      }
      const dir = p.dstPort === serverPort ? f.c2s : f.s2c;
      if (p.payloadLength > 0) {
        const end = (p.seq + p.payloadLength) >>> 0;
        if (dir.next !== -1 && before(p.seq, dir.next)) notable = true; // bytes seen before: a retransmission
        if (dir.next === -1 || before(dir.next, end)) dir.next = end;
      } else if (p.flags & FLAG_ACK && p.ack === dir.lastAck && p.windowRaw !== dir.lastWindow && dir.lastWindow !== -1) {
        notable = true; // the same ACK with a new window: a window update
      }
      // The window closing is news; its staying closed, segment after segment of a stalled reader, is not.
      if (p.windowRaw === 0 && dir.lastWindow !== 0) notable = true;
      if (p.flags & FLAG_ACK) {
        dir.lastAck = p.ack;
        dir.lastWindow = p.windowRaw;
      }
      if (t > lastT) {
        if (lastT !== -Infinity) tokens = Math.min(o.burst, tokens + ((t - lastT) * o.ratePerSec) / 1000);
        lastT = t;
      }
      if (notable || f.connId === null) return 'detail';
      if (tokens >= 1) {
        tokens -= 1;
        return 'detail';
      }
      return 'summarise';
    },
    bind(p, connId) {
      const f = flowsByPort.get(p.serverPort)?.get(p.clientKey);
      if (f !== undefined) f.connId = connId;
    },
    connOf(p) {
      return flowOf(p.serverPort, p.clientKey).connId!;
    },
    forgetPort(serverPort) {
      flowsByPort.delete(serverPort);
      if (serverPort === lastPort) lastFlow = null;
    },
    summarised(connId) {
      total++;
      if (connId === lastConnId && lastCount !== null) {
        lastCount.segments++;
        return;
      }
      let count = byConn.get(connId);
      if (count === undefined) {
        count = { segments: 0 };
        byConn.set(connId, count);
        if (byConn.size > o.connectionsKept) byConn.delete(byConn.keys().next().value!);
      }
      count.segments++;
      lastConnId = connId;
      lastCount = count;
    },
    totals: () => ({ segments: total, byConn: [...byConn].map(([connId, c]) => ({ connId, segments: c.segments })) }),
  };
}
