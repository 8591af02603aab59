// What the server's main thread and the capture thread (capture-worker.ts) say to each other. The
// capture's per-frame work (tcpdump's pipe, pcap records, the gate, the frame store) runs on a thread of
// its own so that it never takes time from the echo's reads; only what a page may see crosses over:
// events in batches, the capture's state, a pcap file when one is asked for.
import type { CaptureState, UnsequencedWireEvent } from '../../shared/wire.ts';
import type { AcceptedConnection, CaptureServiceOptions } from './capture-service.ts';

/** The capture service's options without its callbacks: what the thread is started with. */
export type CaptureThreadOptions = Omit<CaptureServiceOptions, 'emit' | 'onStateChange'>;

/** Questions the main thread asks; each gets one `answer` with its id. */
export type CaptureQuery =
  | { type: 'state'; id: number }
  | { type: 'pcap'; id: number; connId: number }
  | { type: 'listening'; id: number }
  | { type: 'sample'; id: number }
  | { type: 'stop'; id: number };

export type ToCaptureThread =
  | CaptureQuery
  | { type: 'start' }
  | { type: 'open'; conn: AcceptedConnection }
  | { type: 'close'; connId: number }
  | { type: 'activity' }
  | { type: 'ports'; ports: number[] }
  | { type: 'forget'; connId: number };

export type FromCaptureThread =
  /** Events in capture order, and the state after them (its counts move with every frame). */
  | { type: 'events'; events: UnsequencedWireEvent[]; state: CaptureState }
  /** Capture turned on or off, its reason or its summarised counts changed. */
  | { type: 'state'; state: CaptureState }
  /** Every event before it has been sent: an answer never overtakes the events it covers. */
  | { type: 'answer'; id: number; value: CaptureState | Uint8Array | boolean | null };

/**
 * Batches of events sent and not yet taken in by the main thread, at most: past it the thread keeps
 * gathering (bounded below) and sends once the main thread catches up.
 */
export const CAPTURE_THREAD_BATCHES_IN_FLIGHT = 64;
/** A batch goes at most this often under load; an event after a quiet spell goes at once. */
export const CAPTURE_THREAD_BATCH_MS = 5;
