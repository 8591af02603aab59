// Turns decoded segments into `segment` events: tells the direction by which end is a server port (the
// echo port or a watched one), keeps each 4-tuple's starting sequence numbers (for Wireshark's relative
// numbers) and window scales, and holds a connection's segments until its accept is logged (the echo
// server's accept, or a watched server's first traced call on it: the handshake is on the wire before,
// and the capture pipe may deliver it before or after).
// No I/O and no clock: time is the capture's own timestamps.
import { CAPTURE_PENDING_MAX_BYTES, EVENT_HEX_MAX_BYTES, SEGMENT_KEPT_BYTES_PER_SEC } from '../../shared/limits.ts';
import { KeptBytesBudget } from '../events/kept-bytes-budget.ts';
import type { Direction, UnsequencedSegment } from '../../shared/wire.ts';
import { canonicalAddress } from './ip-address.ts';
import { FLAG_ACK, FLAG_SYN, type DecodedSegment } from './packet-decode.ts';
import { isServerPort, type ServerPorts } from './segment-peek.ts';

export interface ConnectionTuple {
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
}

export interface TrackedSegment<F> {
  connId: number;
  event: UnsequencedSegment;
  frame: F;
}

export interface TrackerLimits {
  /** Segments held for one not-yet-accepted 4-tuple; later ones are dropped (the handshake is kept). */
  pendingPerTuple: number;
  /** Segments and frame bytes held over all tuples. */
  pendingTotal: number;
  pendingBytes: number;
  /** A tuple whose accept is not logged within this much capture time is dropped: tcpscope did not accept it. */
  pendingMaxAgeMs: number;
  /** 4-tuples remembered at once; the least recently active is forgotten first. */
  maxTuples: number;
}

export const DEFAULT_TRACKER_LIMITS: TrackerLimits = {
  pendingPerTuple: 64,
  pendingTotal: 1024,
  pendingBytes: CAPTURE_PENDING_MAX_BYTES,
  pendingMaxAgeMs: 10_000,
  maxTuples: 4096,
};

/** One direction of a connection. */
interface Flow {
  /** What relative numbers count from: the ISN, or the first sequence number seen if the SYN was missed. */
  base: number | null;
  synSeen: boolean;
  /** The shift offered in this direction's SYN, -1 if its SYN carried none, null if no SYN seen. */
  offeredShift: number | null;
}

interface Held<F> {
  event: UnsequencedSegment;
  frame: F;
  bytes: number;
}

interface TupleState<F> {
  key: string;
  c2s: Flow;
  s2c: Flow;
  connId: number | null;
  /** When the port is reused and the accept of the new connection is logged before its SYN is
   * captured, the old connection's last segments still belong to the old id until that SYN. */
  prevConnId: number | null;
  pending: Held<F>[];
  pendingSince: number;
}

export interface TrackerStats {
  /** Segments dropped: no accepted connection claimed them, or the hold limits were reached. */
  unmatched: number;
  pendingSegments: number;
  tuples: number;
}

export interface SegmentTracker<F> {
  /** `size` is the frame's byte count, for the hold limit. Returns the segments ready to emit. */
  ingest(seg: DecodedSegment, t: number, frame: F, size: number): TrackedSegment<F>[];
  /** The echo server accepted `connId` on this tuple: returns its held segments, now with their id. */
  open(connId: number, tuple: ConnectionTuple): TrackedSegment<F>[];
  stats(): TrackerStats;
}

const newFlow = (): Flow => ({ base: null, synSeen: false, offeredShift: null });
const MAX_WINDOW_SHIFT = 14; // RFC 7323: larger shifts are treated as 14

export function tupleKey(serverAddress: string, serverPort: number, clientAddress: string, clientPort: number): string {
  return `${serverAddress}|${serverPort}|${clientAddress}|${clientPort}`;
}

/** `ports`: the server ports (the echo port and the watched ones); a set may change as watches come and go. */
export function createSegmentTracker<F>(ports: ServerPorts, limits: Partial<TrackerLimits> = {}): SegmentTracker<F> {
  const lim = { ...DEFAULT_TRACKER_LIMITS, ...limits };
  // Map order doubles as recency: a touched tuple is moved to the end, the first is the stalest.
  const tuples = new Map<string, TupleState<F>>();
  // Tuples holding segments, in the order they started holding: the first is the first to expire.
  const holding = new Map<string, TupleState<F>>();
  /** The tuple last moved to (or made at) the end of `tuples`. */
  let newest: TupleState<F> | null = null;
  let pendingSegments = 0;
  let pendingBytes = 0;
  let unmatched = 0;
  // The kept-payload budget of segment events, in capture time.
  const kept = new KeptBytesBudget(SEGMENT_KEPT_BYTES_PER_SEC);

  function dropPending(st: TupleState<F>): void {
    unmatched += st.pending.length;
    pendingSegments -= st.pending.length;
    for (const h of st.pending) pendingBytes -= h.bytes;
    st.pending = [];
    holding.delete(st.key);
  }

  function touch(key: string): TupleState<F> {
    let st = tuples.get(key);
    if (st !== undefined) {
      // Already the most recent (one connection streaming, the usual case): no move.
      if (st !== newest) {
        tuples.delete(key);
        tuples.set(key, st);
        newest = st;
      }
      return st;
    }
    st = { key, c2s: newFlow(), s2c: newFlow(), connId: null, prevConnId: null, pending: [], pendingSince: 0 };
    tuples.set(key, st);
    newest = st;
    if (tuples.size > lim.maxTuples) {
      const oldest = tuples.values().next().value!;
      dropPending(oldest);
      tuples.delete(oldest.key);
    }
    return st;
  }

  function expire(now: number): void {
    for (const st of holding.values()) {
      if (now - st.pendingSince <= lim.pendingMaxAgeMs) break;
      dropPending(st);
      // Nobody claimed it: forget its numbers too, so the tuple cannot grow stale state.
      if (st.connId === null) tuples.delete(st.key);
    }
  }

  function flush(st: TupleState<F>, connId: number): TrackedSegment<F>[] {
    const out = st.pending.map((h) => ({ connId, event: { ...h.event, connId }, frame: h.frame }));
    pendingSegments -= st.pending.length;
    for (const h of st.pending) pendingBytes -= h.bytes;
    st.pending = [];
    holding.delete(st.key);
    return out;
  }

  return {
    stats: () => ({ unmatched, pendingSegments, tuples: tuples.size }),

    ingest(seg, t, frame, size) {
      expire(t);
      let direction: Direction;
      let key: string;
      if (isServerPort(ports, seg.dstPort)) {
        direction = 'c2s';
        key = tupleKey(seg.dstAddress, seg.dstPort, seg.srcAddress, seg.srcPort);
      } else if (isServerPort(ports, seg.srcPort)) {
        direction = 's2c';
        key = tupleKey(seg.srcAddress, seg.srcPort, seg.dstAddress, seg.dstPort);
      } else {
        unmatched++;
        return [];
      }
      const st = touch(key);
      const syn = (seg.flagBits & FLAG_SYN) !== 0;
      const ack = (seg.flagBits & FLAG_ACK) !== 0;

      // A client SYN with a new ISN on a known tuple: the port was reused for a new connection.
      if (direction === 'c2s' && syn && !ack && st.c2s.base !== null && (!st.c2s.synSeen || st.c2s.base !== seg.seqNumber)) {
        st.c2s = newFlow();
        st.s2c = newFlow();
        if (st.prevConnId !== null) st.prevConnId = null; // its accept was logged already
        else {
          dropPending(st);
          st.connId = null;
        }
      }

      const own = direction === 'c2s' ? st.c2s : st.s2c;
      const other = direction === 'c2s' ? st.s2c : st.c2s;
      if (syn && !own.synSeen) {
        own.synSeen = true;
        own.base = seg.seqNumber;
        own.offeredShift = seg.options.windowScale === undefined ? -1 : Math.min(seg.options.windowScale, MAX_WINDOW_SHIFT);
      } else if (own.base === null) {
        own.base = seg.seqNumber;
      }

      // Windows in SYNs are never scaled; after the handshake, only if both ends offered a scale.
      let windowShift: number | null;
      if (syn) windowShift = 0;
      else if (own.offeredShift === null || other.offeredShift === null) windowShift = null;
      else if (own.offeredShift < 0 || other.offeredShift < 0) windowShift = 0;
      else windowShift = own.offeredShift;

      const hexBytes = kept.keep(t, Math.min(seg.payload.length, EVENT_HEX_MAX_BYTES));
      const event: UnsequencedSegment = {
        kind: 'segment',
        t,
        connId: 0,
        direction,
        flags: seg.flags,
        ipVersion: seg.ipVersion,
        seqNumber: seg.seqNumber,
        ackNumber: seg.ackNumber,
        relativeSeq: (seg.seqNumber - own.base!) >>> 0,
        relativeAck: ack && other.base !== null ? (seg.ackNumber - other.base) >>> 0 : null,
        windowRaw: seg.windowRaw,
        window: seg.windowRaw * 2 ** (windowShift ?? 0),
        windowShift,
        payloadLength: seg.payloadLength,
        ipTotalLength: seg.ipTotalLength,
        ipHeaderLength: seg.ipHeaderLength,
        tcpHeaderLength: seg.tcpHeaderLength,
        options: seg.options,
        // A copy of the kept bytes alone (Uint8Array's slice: a Buffer's is a view), as a view would hold the
        // whole frame for as long as the store holds the event.
        bytes: Uint8Array.prototype.slice.call(seg.payload, 0, hexBytes),
        truncated: hexBytes < seg.payloadLength,
      };

      const connId = st.prevConnId ?? st.connId;
      if (connId !== null) {
        event.connId = connId;
        return [{ connId, event, frame }];
      }
      if (st.pending.length >= lim.pendingPerTuple || pendingSegments >= lim.pendingTotal || pendingBytes + size > lim.pendingBytes) {
        unmatched++;
        return [];
      }
      if (st.pending.length === 0) {
        st.pendingSince = t;
        holding.set(st.key, st);
      }
      st.pending.push({ event, frame, bytes: size });
      pendingSegments++;
      pendingBytes += size;
      return [];
    },

    open(connId, tuple) {
      const key = tupleKey(canonicalAddress(tuple.localAddress), tuple.localPort, canonicalAddress(tuple.remoteAddress), tuple.remotePort);
      const st = touch(key);
      if (st.connId === connId) return [];
      if (st.connId !== null && st.c2s.base !== null) {
        // The old connection on this tuple was seen on the wire; the new one's SYN was not yet.
        st.prevConnId = st.connId;
        st.connId = connId;
        return [];
      }
      st.connId = connId;
      st.prevConnId = null;
      return flush(st, connId);
    },
  };
}
