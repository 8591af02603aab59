// A new session (POST /api/session/reset): the event store, the closed connections and their captured
// frames are let go, so that an export afterwards holds only what follows. Open connections stay open
// with their exact counters and stream offsets (the next read of one goes on at its offset): what they
// did before the reset shows as having left the store, as evicted events always do. Seqs go on, so a
// page never confuses a new event with an old one; every page is sent a fresh snapshot marked `reset`.
import type { SessionReset } from '../../shared/session-reset.ts';
import type { ConnectionRegistry } from '../echo/connection-registry.ts';
import type { Recorder } from '../events/recorder.ts';
import type { LiveHub } from '../live/live-hub.ts';

export interface SessionResetDeps {
  recorder: Recorder;
  registry: ConnectionRegistry;
  hub: LiveHub;
  /** Drops a forgotten connection's kept frames (the pcap download). */
  forgetFrames(connId: number): void;
}

export function resetSession(deps: SessionResetDeps): SessionReset {
  const store = deps.recorder.store;
  const eventsCleared = store.length;
  store.clear();
  const forgotten = deps.registry.forgetClosed();
  for (const id of forgotten) deps.forgetFrames(id);
  deps.hub.resetSession();
  return {
    eventsCleared,
    connectionsCleared: forgotten.length,
    connectionsKept: deps.registry.list().length,
    nextSeq: deps.recorder.nextSeq,
  };
}
