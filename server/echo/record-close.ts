// How a connection ends, for every source of connections (the echo server's sockets, a watched server's
// traced fds): mark it closed, move it to the registry's closed list and record its `close` event.
import type { CloseReason } from '../../shared/events.ts';
import { nowMs } from '../events/clock.ts';
import type { Recorder } from '../events/recorder.ts';
import type { ConnectionRegistry } from './connection-registry.ts';
import type { ConnectionState } from './connection-state.ts';

export function recordClose(
  deps: { registry: ConnectionRegistry; recorder: Recorder },
  conn: ConnectionState,
  cause: { reason: CloseReason; code: string | null },
): void {
  conn.state = 'closed';
  conn.closedAt = nowMs();
  conn.closeReason = cause.reason;
  conn.closeCode = cause.code;
  deps.registry.retire(conn);
  deps.recorder.record(
    { kind: 'close', t: conn.closedAt, connId: conn.id, reason: cause.reason, ...(cause.code ? { code: cause.code } : {}) },
    conn,
  );
}
