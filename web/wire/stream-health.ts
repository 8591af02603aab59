// What went wrong (or merely happened) on one connection's wire, counted the way Wireshark's expert
// info names it. A pure function of the captured segments, in capture order.
import type { CaptureState, SegmentEvent } from '../../shared/wire.ts';

export type HealthSegment = Pick<SegmentEvent, 'direction' | 'flags' | 'seqNumber' | 'ackNumber' | 'payloadLength' | 'window'>;

export interface SegmentNotes {
  /** Its sequence range and payload were already seen in this direction. */
  retransmission: boolean;
  /** It advertises a window of 0: the sender must stop. */
  zeroWindow: boolean;
  /** A pure ACK that only changes the window (same seq and ack as the previous segment that way). */
  windowUpdate: boolean;
  reset: boolean;
}

export interface StreamHealth {
  segments: number;
  retransmissions: number;
  zeroWindows: number;
  windowUpdates: number;
  resets: number;
  /** One entry per segment, in the order given. */
  notes: SegmentNotes[];
}

const has = (s: HealthSegment, flag: string): boolean => s.flags.includes(flag as never);

/** Segments that take sequence space: a repeat of one of them is a retransmission. */
function occupiesSequence(s: HealthSegment): boolean {
  return s.payloadLength > 0 || has(s, 'SYN') || has(s, 'FIN');
}

export function streamHealth(segments: readonly HealthSegment[]): StreamHealth {
  const seen = new Set<string>();
  const previous: { c2s: HealthSegment | null; s2c: HealthSegment | null } = { c2s: null, s2c: null };
  const h: StreamHealth = { segments: segments.length, retransmissions: 0, zeroWindows: 0, windowUpdates: 0, resets: 0, notes: [] };
  for (const s of segments) {
    const reset = has(s, 'RST');
    const control = reset || has(s, 'SYN') || has(s, 'FIN');
    let retransmission = false;
    if (occupiesSequence(s) && !reset) {
      const key = `${s.direction}|${s.seqNumber}|${s.payloadLength}|${has(s, 'SYN') ? 'S' : ''}${has(s, 'FIN') ? 'F' : ''}`;
      retransmission = seen.has(key);
      seen.add(key);
    }
    const zeroWindow = s.window === 0 && !control;
    const prev = previous[s.direction];
    const windowUpdate =
      !control &&
      s.payloadLength === 0 &&
      prev !== null &&
      prev.seqNumber === s.seqNumber &&
      prev.ackNumber === s.ackNumber &&
      prev.window !== s.window;
    previous[s.direction] = s;
    if (retransmission) h.retransmissions++;
    if (zeroWindow) h.zeroWindows++;
    if (windowUpdate) h.windowUpdates++;
    if (reset) h.resets++;
    h.notes.push({ retransmission, zeroWindow, windowUpdate, reset });
  }
  return h;
}

/** Segments of one connection the server counted but did not send in detail (it was past its rate). */
export interface SummarizedSegments {
  segments: number;
  /** The server's detail budget: plain segments per second, all connections together. */
  perSec: number;
}

/** What the capture state says was summarised on `connId`; null when nothing was (or the server does not say). */
export function summarizedFor(capture: CaptureState | null, connId: number | null): SummarizedSegments | null {
  if (capture === null || connId === null) return null;
  const n = capture.summarizedByConn?.find((x) => x.connId === connId)?.segments ?? 0;
  return n > 0 ? { segments: n, perSec: capture.detailSegmentsPerSec ?? 0 } : null;
}
