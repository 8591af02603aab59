// The wire view behind one small interface: tcpdump's frames become `segment` events of the
// connections the echo server accepted (and of the watched servers' connections), ss's view of their
// sockets becomes `sample` events, and each connection's frames are kept for a pcap download. Knows
// nothing of HTTP: the server wires it in.
import { NO_CAPTURE_REASON } from '../../shared/limits.ts';
import type { CaptureState, UnsequencedWireEvent } from '../../shared/wire.ts';
import { createFrameStore, type FrameStoreLimits, type StoredFrame } from './frame-store.ts';
import { decodeFrame } from './packet-decode.ts';
import { createSegmentTracker, type ConnectionTuple, type TrackerLimits } from './segment-tracker.ts';
import type { PcapRecord } from './pcap-reader.ts';
import { createSegmentGate, DEFAULT_GATE_OPTIONS, type GateOptions } from './segment-gate.ts';
import { createHandover, type Handover } from './capture-handover.ts';
import { newPeek, peekSegment } from './segment-peek.ts';
import { createSsSampler } from './ss-sampler.ts';
import { createTcpdumpSource, type BackoffOptions, type TcpdumpSource } from './tcpdump-source.ts';

export interface CaptureServiceOptions {
  /** The echo server's TCP port: the capture filter and the sampler look at it and the watched ports. */
  port: number;
  /** Watched servers' ports to capture from the start; setWatchedPorts changes them later. */
  watchedPorts?: readonly number[];
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

/**
 * After the new capture listens, how long the old one runs on when no frame shows the two overlap (no
 * traffic on the ports both cover): with --immediate-mode tcpdump hands a frame over within milliseconds,
 * so by then the old one has delivered all it captured.
 */
export const HANDOVER_GRACE_MS = 1000;

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
  /** The state as last heard (on the capture thread's side of it: as of its last batch or change). */
  state(): CaptureState;
  /** The state now, every count up to date (the capture thread is asked). */
  stateNow(): Promise<CaptureState>;
  /** A pcap file of the connection's kept frames, or undefined when none are kept. */
  pcapFor(connId: number): Promise<Uint8Array | undefined>;
  /** True once tcpdump listens; false if capture is off or gave up. Await it before traffic that must be seen. */
  whenListening(): Promise<boolean>;
  /** Drops the kept frames of a connection that a new session forgot. */
  forget(connId: number): void;
  /** Sample the sockets now (the timer does it on its own; tests use this to synchronise). */
  sampleNow(): Promise<void>;
  /**
   * The watched servers' ports changed: sampling follows at its next run; the capture starts a tcpdump with
   * the new filter and stops the old one once the new one captures (frames both see go through once).
   */
  setWatchedPorts(ports: readonly number[]): void;
  /** The server ports captured and sampled: the echo port first, then the watched ones. */
  ports(): number[];
}

/** A frame in a handover, held or passed on in capture order. */
interface HandoverFrame {
  record: PcapRecord;
  linkType: number;
}

/** The capture being replaced while its successor starts (see capture-handover.ts). */
interface Leaving {
  source: TcpdumpSource;
  /** The ports its filter covers. */
  ports: ReadonlySet<number>;
  handover: Handover<HandoverFrame>;
  timer: NodeJS.Timeout | null;
  /** Set once retiring began: resolves when the old capture has exited. */
  stopped: Promise<void> | null;
}

export { NO_CAPTURE_REASON };

/** Two sets of ports hold the same ports (in any order). */
export const samePorts = (a: ReadonlySet<number>, b: ReadonlySet<number>): boolean => a.size === b.size && [...a].every((p) => b.has(p));

export function createCaptureService(opts: CaptureServiceOptions): CaptureService {
  const { port, emit } = opts;
  // The echo port and the watched ones; changed in place, so the tracker, the peek and the sampler follow.
  const ports = new Set<number>([port, ...(opts.watchedPorts ?? [])]);
  const tracker = createSegmentTracker<StoredFrame>(ports, opts.trackerLimits);
  const frames = createFrameStore(opts.frameLimits);
  let framesSeen = 0;
  let framesMalformed = 0;
  const gateRate = opts.gateOptions?.ratePerSec ?? DEFAULT_GATE_OPTIONS.ratePerSec;

  const sampler = opts.sampling === false ? null : createSsSampler({ port: ports, emit, command: opts.ssCommand });

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

  // Per captured frame: during a handover the two captures' streams merge into one first (see
  // capture-handover.ts); then a peek at its TCP header decides, and only segments shown in detail are
  // decoded whole and become objects. A summarised segment costs the peek, a count and its frame's bytes.
  function onRecord(record: PcapRecord, linkType: number, from: TcpdumpSource): void {
    // A capture already replaced (its last frames after a quick second change): its successors have them.
    if (from !== source && from !== leaving?.source) return;
    if (leaving !== null) {
      for (const r of handedOver(leaving, from, record, linkType)) onFrame(r.record, r.linkType);
      return;
    }
    onFrame(record, linkType);
  }

  function onFrame(record: PcapRecord, linkType: number): void {
    const data = record.data;
    const peeked = peekSegment(linkType, data, ports, peek);
    framesSeen++;
    if (peeked && gate.judge(peek, peek.serverPort, record.t) === 'summarise') {
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
      // record is a view of the pipe's reused buffer. A copy of one frame (at most CAPTURE_SNAPLEN bytes);
      // Uint8Array's slice, as a Buffer's own slice() would be a view.
      const own = Uint8Array.prototype.slice.call(data);
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

  /** During a handover: the frames to take now, in capture order (none for the second copy of a frame both captures saw). */
  function handedOver(l: Leaving, from: TcpdumpSource, record: PcapRecord, linkType: number): HandoverFrame[] {
    const side = from === source ? 'new' : 'old';
    const data = record.data;
    // A frame of a port only one filter covers comes once; an unreadable one goes by its bytes.
    const peeked = peekSegment(linkType, data, ports, peek);
    const shared = !peeked || (l.ports.has(peek.serverPort) && sourcePorts.has(peek.serverPort));
    if (!shared) return [{ record, linkType }];
    // The new capture's frame may be held past this call: it gets bytes of its own, as the record's are a
    // view of the pipe's reused buffer (a copy per frame, during a handover only).
    const item = side === 'new' ? { record: { ...record, data: Uint8Array.prototype.slice.call(data) }, linkType } : { record, linkType };
    const before = l.handover.duplicates;
    const out = l.handover.admit(side, data, item);
    if (l.handover.duplicates > before) {
      duplicatesDropped++;
      // A frame both delivered: from here on the new capture sees all the old one would.
      void retire(l);
    }
    if (l.handover.done) handoverOver(l);
    return out;
  }

  /** The old capture is gone and nothing is left to match: the next change of filter may begin. */
  function handoverOver(l: Leaving): void {
    if (leaving !== l) return;
    if (l.timer !== null) clearTimeout(l.timer);
    leaving = null;
    followPorts();
  }

  let filterChanges = 0;
  let duplicatesDropped = 0;
  /** Restarts and kernel drops of the captures already replaced. */
  let retiredRestarts = 0;
  let retiredDropped = 0;
  let started = false;
  let leaving: Leaving | null = null;
  /** The ports the current capture's filter covers; `ports` runs ahead of it while a handover is under way. */
  let sourcePorts: ReadonlySet<number> = new Set(ports);
  /** Called when a new capture takes over (whenListening waits for the one whose filter is `ports`). */
  const sourceWaiters: (() => void)[] = [];
  const filterIsCurrent = (): boolean => samePorts(sourcePorts, ports);

  /** True once a capture with the current filter listens; false if capture is off or gave up. */
  async function whenListening(): Promise<boolean> {
    for (;;) {
      const src = source;
      if (src === null) return false;
      const ok = await src.whenListening();
      if (src !== source) continue;
      if (!ok || filterIsCurrent()) return ok;
      // A change waits for the handover under way: listen again once its capture takes over.
      await new Promise<void>((resolve) => sourceWaiters.push(resolve));
    }
  }

  function makeSource(list: readonly number[]): TcpdumpSource {
    const src: TcpdumpSource = createTcpdumpSource({
      port: list,
      iface: opts.iface,
      command: opts.command,
      backoff: opts.backoff,
      onChange: () => opts.onStateChange?.(state()),
      onRecord: (record, linkType) => onRecord(record, linkType, src),
    });
    return src;
  }

  let source: TcpdumpSource | null = opts.enabled ? makeSource([...ports]) : null;

  function retire(l: Leaving): Promise<void> {
    l.stopped ??= retireNow(l);
    return l.stopped;
  }

  async function retireNow(l: Leaving): Promise<void> {
    if (l.timer !== null) clearTimeout(l.timer);
    l.timer = null;
    await l.source.stop();
    const s = l.source.state();
    retiredRestarts += s.restarts;
    retiredDropped += s.droppedByKernel;
    // Its pipe is closed and read to the end: the new capture's frames it never delivered go on, in order.
    for (const r of l.handover.oldStopped()) onFrame(r.record, r.linkType);
    opts.onStateChange?.(state());
    if (l.handover.done) handoverOver(l);
    else {
      // The new capture delivers its copies of the old one's last frames within milliseconds; should no
      // frame at all come, what is left to match is let go after the grace.
      l.timer = setTimeout(() => {
        for (const r of l.handover.end()) onFrame(r.record, r.linkType);
        handoverOver(l);
      }, HANDOVER_GRACE_MS);
      l.timer.unref();
    }
  }

  function setWatchedPorts(list: readonly number[]): void {
    const next = new Set<number>([port, ...list]);
    if (samePorts(next, ports)) return;
    const before: ReadonlySet<number> = new Set(ports);
    ports.clear();
    for (const p of next) ports.add(p);
    for (const p of before) if (!next.has(p)) gate.forgetPort(p);
    followPorts();
  }

  /**
   * Brings the capture's filter to `ports`: a new tcpdump takes over from the current one. One handover at
   * a time: a change made during one is taken up when it ends (about a second), so no capture is ever cut
   * short before its successor captures.
   */
  function followPorts(): void {
    if (source === null || leaving !== null) return; // --no-capture (sampling reads `ports` itself), or later
    if (filterIsCurrent()) return;
    filterChanges++;
    if (!started) {
      source = makeSource([...ports]);
      sourcePorts = new Set(ports);
      return;
    }
    const l: Leaving = { source, ports: sourcePorts, handover: createHandover(), timer: null, stopped: null };
    leaving = l;
    source = makeSource([...ports]);
    sourcePorts = new Set(ports);
    for (const w of sourceWaiters.splice(0)) w();
    const fresh = source;
    fresh.start();
    void fresh.whenListening().then((ok) => {
      if (l.stopped !== null) return;
      if (!ok) void retire(l);
      else {
        l.timer = setTimeout(() => void retire(l), HANDOVER_GRACE_MS);
        l.timer.unref();
      }
    });
    opts.onStateChange?.(state());
  }

  function state(): CaptureState {
    const cur = source?.state() ?? { active: false, reason: NO_CAPTURE_REASON, restarts: 0, droppedByKernel: 0 };
    const old = leaving !== null && leaving.stopped === null ? leaving.source.state() : null;
    // While the new capture starts, the old one still captures: the wire view is not off in between.
    const shown = !cur.active && old?.active ? old : cur;
    const summary = gate.totals();
    return {
      active: shown.active,
      reason: shown.reason,
      framesSeen,
      framesMalformed,
      framesUnmatched: tracker.stats().unmatched,
      restarts: retiredRestarts + cur.restarts + (old?.restarts ?? 0),
      framesDropped: retiredDropped + cur.droppedByKernel + (old?.droppedByKernel ?? 0),
      segmentsSummarized: summary.segments,
      summarizedByConn: summary.byConn,
      detailSegmentsPerSec: gateRate,
      ports: [...ports],
      filterChanges,
      handoverDuplicates: duplicatesDropped,
      // Only a capture thread sheds (capture-worker.ts); here every event goes straight to the store.
      eventsShed: 0,
    };
  }

  return {
    state,
    start() {
      started = true;
      source?.start();
      sampler?.start();
    },
    async stop() {
      if (stateTimer !== null) clearTimeout(stateTimer);
      stateTimer = null;
      const l = leaving;
      leaving = null;
      for (const w of sourceWaiters.splice(0)) w();
      if (l?.timer) clearTimeout(l.timer);
      await Promise.all([sampler?.stop(), source?.stop(), l ? retire(l) : undefined]);
      if (l?.timer) clearTimeout(l.timer);
    },
    setWatchedPorts,
    ports: () => [...ports],
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
    stateNow: () => Promise.resolve(state()),
    pcapFor: (connId) => Promise.resolve(frames.pcapOf(connId)),
    forget: (connId) => frames.forget(connId),
    whenListening,
    sampleNow: () => sampler?.sampleOnce() ?? Promise.resolve(),
  };
}
