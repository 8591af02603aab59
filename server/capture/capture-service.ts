// The wire view behind one small interface: tcpdump's frames become `segment` events of the
// connections the echo server accepted, ss's view of their sockets becomes `sample` events, and each
// connection's frames are kept for a pcap download. Knows nothing of HTTP: the server wires it in.
import { NO_CAPTURE_REASON, type CaptureState, type UnsequencedWireEvent } from '../../shared/wire.ts';
import { createFrameStore, type FrameStoreLimits, type StoredFrame } from './frame-store.ts';
import { decodeFrame } from './packet-decode.ts';
import { createSegmentTracker, type ConnectionTuple, type TrackerLimits } from './segment-tracker.ts';
import type { PcapRecord } from './pcap-reader.ts';
import { createSegmentGate, DEFAULT_GATE_OPTIONS, type GateOptions } from './segment-gate.ts';
import { newPeek, peekSegment } from './segment-peek.ts';
import { createSsSampler } from './ss-sampler.ts';
import { createTcpdumpSource, type BackoffOptions } from './tcpdump-source.ts';

export interface CaptureServiceOptions {
  /** The echo server's TCP port: the capture filter and the sampler look at it alone. */
  port: number;
  /** False with --no-capture: no tcpdump is run. */
  enabled: boolean;
  /** argv replacing tcpdump's; tests use it to simulate a failing capture program. */
  command?: string[];
  iface?: string;
  /** Receives each event without `seq`; `t` is the capture's timestamp (segments) or the sampling time. */
  emit(ev: UnsequencedWireEvent): void;
  /** Called when capture turns on or off, or its reason changes. */
  onStateChange?(state: CaptureState): void;
  /** Sample sockets with ss (on by default; independent of capture, it needs no privilege). */
  sampling?: boolean;
  ssCommand?: string;
  backoff?: Partial<BackoffOptions>;
  trackerLimits?: Partial<TrackerLimits>;
  frameLimits?: Partial<FrameStoreLimits>;
  /** The detail budget for plain segments (tests shrink it to see summarising happen). */
  gateOptions?: Partial<GateOptions>;
}

/** How often, at most, a change in the summarised counts is announced as a state change. */
const SUMMARY_STATE_EVERY_MS = 1000;

/** The parts of an accepted connection the capture needs (a `Connection` row fits). */
export interface AcceptedConnection extends ConnectionTuple {
  id: number;
}

export interface CaptureService {
  start(): void;
  stop(): Promise<void>;
  /** The echo server accepted a connection: its held segments go out now, and its sockets are sampled. */
  notifyOpen(conn: AcceptedConnection): void;
  /** The echo server closed it: sampled once more, then no longer. Late segments still match it. */
  notifyClose(connId: number): void;
  /** Data moved (a read or a write): sample at the fast rate for a while, even without capture. */
  notifyActivity(): void;
  state(): CaptureState;
  /** A pcap file of the connection's kept frames, or undefined when none are kept. */
  pcapFor(connId: number): Buffer | undefined;
  /** True once tcpdump listens; false if capture is off or gave up. Await it before traffic that must be seen. */
  whenListening(): Promise<boolean>;
  /** Drops the kept frames of a connection that a new session forgot. */
  forget(connId: number): void;
  /** Sample the sockets now (the timer does it on its own; tests use this to synchronise). */
  sampleNow(): Promise<void>;
}

export { NO_CAPTURE_REASON };

export function createCaptureService(opts: CaptureServiceOptions): CaptureService {
  const { port, emit } = opts;
  const tracker = createSegmentTracker<StoredFrame>(port, opts.trackerLimits);
  const frames = createFrameStore(opts.frameLimits);
  let framesSeen = 0;
  let framesMalformed = 0;
  const gateRate = opts.gateOptions?.ratePerSec ?? DEFAULT_GATE_OPTIONS.ratePerSec;

  const sampler = opts.sampling === false ? null : createSsSampler({ port, emit, command: opts.ssCommand });

  const gate = createSegmentGate(opts.gateOptions);
  const peek = newPeek();
  let stateTimer: NodeJS.Timeout | null = null;
  /** Summarised counts change with every segment: the state's listeners hear of it at most once a second. */
  function summaryChanged(): void {
    stateTimer ??= setTimeout(() => {
      stateTimer = null;
      opts.onStateChange?.(state());
    }, SUMMARY_STATE_EVERY_MS);
  }

  // Per captured frame: a peek at its TCP header decides; only segments shown in detail are decoded
  // whole and become objects. A summarised segment costs the peek, a count and its frame's bytes.
  function onRecord(record: PcapRecord, linkType: number): void {
    framesSeen++;
    const data = record.data;
    const peeked = peekSegment(linkType, data, port, peek);
    if (peeked && gate.judge(peek, port, record.t) === 'summarise') {
      const connId = gate.connOf(peek);
      gate.summarised(connId);
      frames.add(connId, { tsSec: record.tsSec, tsNsec: record.tsNsec, data, originalLength: record.originalLength, linkType });
      if (peek.payloadLength > 0) sampler?.nudge();
      summaryChanged();
      return;
    }
    let ready;
    try {
      // The tracker may hold the frame, and the event its payload: both must own their bytes, as the
      // record is a view of the pipe's chunk. A copy of one frame (at most CAPTURE_SNAPLEN bytes).
      const own = data.slice();
      const decoded = decodeFrame(linkType, own);
      if (!decoded.ok) {
        framesMalformed++;
        return;
      }
      const frame: StoredFrame = { tsSec: record.tsSec, tsNsec: record.tsNsec, data: own, originalLength: record.originalLength, linkType };
      ready = tracker.ingest(decoded.segment, record.t, frame, frame.data.length);
    } catch {
      // A decoder bug must cost one frame, not the server.
      framesMalformed++;
      return;
    }
    for (const r of ready) {
      if (peeked) gate.bind(peek, r.connId);
      frames.add(r.connId, r.frame);
      if (r.event.payloadLength > 0) sampler?.nudge();
      emit(r.event);
    }
  }

  const source = opts.enabled
    ? createTcpdumpSource({
        port,
        iface: opts.iface,
        command: opts.command,
        backoff: opts.backoff,
        onChange: () => opts.onStateChange?.(state()),
        onRecord,
      })
    : null;

  function state(): CaptureState {
    const s = source?.state() ?? { active: false, reason: NO_CAPTURE_REASON, restarts: 0, droppedByKernel: 0 };
    const summary = gate.totals();
    return {
      active: s.active,
      reason: s.reason,
      framesSeen,
      framesMalformed,
      framesUnmatched: tracker.stats().unmatched,
      restarts: s.restarts,
      framesDropped: s.droppedByKernel,
      segmentsSummarized: summary.segments,
      summarizedByConn: summary.byConn,
      detailSegmentsPerSec: gateRate,
    };
  }

  return {
    state,
    start() {
      source?.start();
      sampler?.start();
    },
    async stop() {
      if (stateTimer !== null) clearTimeout(stateTimer);
      stateTimer = null;
      sampler?.stop();
      await source?.stop();
    },
    notifyOpen(conn) {
      sampler?.track(conn.id, conn);
      for (const r of tracker.open(conn.id, conn)) {
        frames.add(r.connId, r.frame);
        emit(r.event);
      }
    },
    notifyClose(connId) {
      sampler?.untrack(connId);
    },
    notifyActivity() {
      sampler?.nudge();
    },
    pcapFor: (connId) => frames.pcapOf(connId),
    forget: (connId) => frames.forget(connId),
    whenListening: () => source?.whenListening() ?? Promise.resolve(false),
    sampleNow: () => sampler?.sampleOnce() ?? Promise.resolve(),
  };
}
