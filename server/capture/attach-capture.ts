// Connects the capture service to the running echo server: accepted and closed connections (the echo
// server's and the watched servers') go to the capture, captured segments and socket samples come back as recorded events of their connection,
// and data moving through the echo server speeds up socket sampling.
import type { UnsequencedWireEvent } from '../../shared/wire.ts';
import type { ConnectionRegistry } from '../echo/connection-registry.ts';
import type { Recorder } from '../events/recorder.ts';
import type { NewEvent } from '../events/stored-event.ts';
import type { LiveHub } from '../live/live-hub.ts';
import { createCaptureService, type CaptureService } from './capture-service.ts';
import { createCaptureThread } from './capture-thread.ts';
import type { GateOptions } from './segment-gate.ts';

/** Reads and writes nudge the sampler at most this often: one comparison per event in between. */
const ACTIVITY_NUDGE_MS = 100;

export interface AttachCaptureOptions {
  /** The echo server's port. */
  port: number;
  /** Watched servers' ports at the start (the capture follows later changes through setWatchedPorts). */
  watchedPorts?: readonly number[];
  /** False with --no-capture. Socket sampling runs either way. */
  enabled: boolean;
  /** Replaces tcpdump's argv (tests simulate a capture program that fails). */
  command?: string[] | undefined;
  /** The detail budget of plain segments (CAPTURE_DETAIL_SEGMENTS_PER_SEC); tests that need every segment raise it. */
  detail?: Pick<GateOptions, 'ratePerSec' | 'burst'> | undefined;
  registry: ConnectionRegistry;
  recorder: Recorder;
  hub: LiveHub;
}

export function attachCapture(opts: AttachCaptureOptions): CaptureService {
  const { registry, recorder, hub } = opts;
  // With capture on, its per-frame work runs on a thread of its own (capture-thread.ts); without, only
  // the socket sampling is left, a few ss runs a second, which the main thread does itself.
  const create = opts.enabled ? createCaptureThread : createCaptureService;
  const capture = create({
    port: opts.port,
    watchedPorts: opts.watchedPorts ?? [],
    enabled: opts.enabled,
    ...(opts.command ? { command: opts.command } : {}),
    ...(opts.detail ? { gateOptions: opts.detail } : {}),
    emit: (ev) => {
      // Each captured event is a fresh object the capture keeps no hold of.
      recorder.adopt(asNewEvent(ev), registry.get(ev.connId) ?? null);
    },
    onStateChange: () => hub.captureChanged(),
  });
  hub.watchCapture(() => capture.state());
  registry.onOpen((c) => capture.notifyOpen(c));
  registry.onClose((c) => capture.notifyClose(c.id));

  let lastNudge = -Infinity;
  recorder.onChunk((_kind, _conn, _seq, t) => {
    // On the per-read path: the event's own time, no clock call, and a nudge ten times a second at most.
    if (t - lastNudge >= ACTIVITY_NUDGE_MS) {
      lastNudge = t;
      capture.notifyActivity();
    }
  });
  capture.start();
  return capture;
}

/** A captured segment or sample is already in the recorder's shape: only `seq` is still to come. */
function asNewEvent(ev: UnsequencedWireEvent): NewEvent {
  return ev;
}
