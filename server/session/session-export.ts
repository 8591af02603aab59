// Builds a session document from what the server holds: the newest events (hex cut to fit a budget),
// the connections as listed now, the config now and the config before the first event.
import type { Config } from '../../shared/config.ts';
import type { Connection } from '../../shared/connections.ts';
import { EVENT_HEX_MAX_BYTES, LIVE_HEX_PREVIEW_BYTES } from '../../shared/limits.ts';
import {
  SESSION_EXPORT_HEX_BUDGET_CHARS,
  SESSION_FORMAT,
  SESSION_MAX_EVENTS,
  SESSION_VERSION,
  type SessionDocument,
} from '../../shared/session.ts';
import type { EventStore } from '../events/event-store.ts';
import { toWire } from '../events/stored-event.ts';
import type { ConfigHistory } from './config-history.ts';

export interface SessionSources {
  store: EventStore;
  connections: () => Connection[];
  config: () => Config;
  history: ConfigHistory;
  nextSeq: () => number;
}

/**
 * Each event keeps as many of its bytes as the budget allows spread over all of them, between the live
 * preview and the store's own cap; `truncated` says where that cut bytes off.
 */
export function hexBytesPerEvent(eventsWithBytes: number): number {
  if (eventsWithBytes === 0) return EVENT_HEX_MAX_BYTES;
  const fair = Math.floor(SESSION_EXPORT_HEX_BUDGET_CHARS / 3 / eventsWithBytes);
  return Math.max(LIVE_HEX_PREVIEW_BYTES, Math.min(EVENT_HEX_MAX_BYTES, fair));
}

export function exportSession(src: SessionSources, exportedAt: number): SessionDocument {
  const stored = src.store.query({ limit: Math.max(1, Math.min(src.store.length, SESSION_MAX_EVENTS)) });
  let withBytes = 0;
  for (const e of stored) if ('bytes' in e || 'hex' in e) withBytes++;
  const cap = hexBytesPerEvent(withBytes);
  const events = stored.map((e) => toWire(e, cap));
  return {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    exportedAt,
    initialConfig: src.history.before(events[0]?.seq ?? src.nextSeq()),
    config: src.config(),
    connections: src.connections(),
    events,
  };
}
