// Immutable pictures of the live state for React. A view is built at most once per animation frame and
// copies only what changed since the previous one, so components can compare by reference.
import type { Config } from '../../shared/config.ts';
import type { Connection } from '../../shared/connections.ts';
import type { TcpEvent } from '../../shared/events.ts';
import type { ConfigSince, ConnStream, LiveState, LiveStats } from './event-state.ts';

/** `replay`: the page shows a session file (web/session/), not a live server. */
export type LinkState = 'connecting' | 'live' | 'disconnected' | 'replay';

export interface StoreView {
  link: LinkState;
  config: Config | null;
  /** Which config held from which seq on; see configAt(). */
  configHistory: readonly ConfigSince[];
  /** Newest first. */
  connections: readonly Connection[];
  /** Oldest first. */
  events: readonly TcpEvent[];
  streams: ReadonlyMap<number, Readonly<ConnStream>>;
  stats: Readonly<LiveStats>;
  /** While paused the events, streams and connections above stay as they were; the rest keeps moving. */
  paused: boolean;
  /** Events that arrived since the view was paused: what "Resume" will bring in. */
  pending: number;
  /** The server's last complaint about something this page sent, if any. */
  serverError: string | null;
  /** Which versions of the state this view shows; private to this module. */
  seen: { events: number; connections: number; config: number; streams: Map<number, number> };
}

export const EMPTY_VIEW: StoreView = {
  link: 'connecting',
  config: null,
  configHistory: [],
  connections: [],
  events: [],
  streams: new Map(),
  stats: { received: 0, skipped: 0, missed: 0, evicted: 0 },
  paused: false,
  pending: 0,
  serverError: null,
  seen: { events: -1, connections: -1, config: -1, streams: new Map() },
};

export interface ViewExtras {
  link: LinkState;
  paused: boolean;
  pending: number;
  serverError: string | null;
}

/**
 * The next view. With `frozen` the data parts are taken from `prev` untouched (the user paused the
 * view); the link, config and counters are always current, so the page never lies about the session.
 */
export function nextView(state: LiveState, prev: StoreView, extras: ViewExtras, frozen: boolean): StoreView {
  const base = {
    ...extras,
    config: state.config,
    configHistory: prev.seen.config === state.configVersion ? prev.configHistory : state.configHistory.slice(),
    stats: prev.stats.received === state.stats.received &&
      prev.stats.skipped === state.stats.skipped &&
      prev.stats.missed === state.stats.missed &&
      prev.stats.evicted === state.stats.evicted
      ? prev.stats
      : { ...state.stats },
  };
  if (frozen) return { ...prev, ...base, seen: { ...prev.seen, config: state.configVersion } };

  const events = prev.seen.events === state.eventsVersion ? prev.events : state.events.slice();
  const connections =
    prev.seen.connections === state.connectionsVersion
      ? prev.connections
      : [...state.connections.values()].sort((a, b) => b.id - a.id);

  let streams = prev.streams;
  const seenStreams = new Map<number, number>();
  let streamsChanged = prev.seen.streams.size !== state.streams.size;
  const nextStreams = new Map<number, Readonly<ConnStream>>();
  for (const [id, s] of state.streams) {
    seenStreams.set(id, s.version);
    const old = prev.streams.get(id);
    if (old !== undefined && prev.seen.streams.get(id) === s.version) {
      nextStreams.set(id, old);
    } else {
      streamsChanged = true;
      nextStreams.set(id, {
        connId: id,
        writes: s.writes.slice(),
        reads: s.reads.slice(),
        replies: s.replies.slice(),
        summaries: s.summaries.map((m) => ({ ...m })),
        counters: s.counters,
        version: s.version,
      });
    }
  }
  if (streamsChanged) streams = nextStreams;

  return {
    ...base,
    connections,
    events,
    streams,
    seen: { events: state.eventsVersion, connections: state.connectionsVersion, config: state.configVersion, streams: seenStreams },
  };
}
