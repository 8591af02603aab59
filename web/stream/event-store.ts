// The page's single source of live data. Messages from the socket land in plain state at once;
// React hears about them at most once per animation frame, so a burst of 1,000 events costs a
// handful of renders, not a thousand. A new view is rendered as a transition: React renders it in slices
// of a few milliseconds and lets input, scrolling and the socket in between, so a costly redraw under a
// flood is many short tasks rather than one long one; the next view waits until this one is on screen.
import { createContext, startTransition, useContext, useEffect, useState } from 'react';
import type { Config } from '../../shared/config.ts';
import type { TcpEvent } from '../../shared/events.ts';
import type { BatchMessage, ServerMessage, SnapshotMessage } from '../../shared/live.ts';
import type { CaptureState } from '../../shared/wire.ts';
import { EVENTS_QUERY_LIMIT_MAX, LIVE_HEX_PREVIEW_BYTES } from '../../shared/limits.ts';
import { LiveSocket } from './live-socket.ts';
import { ApiRequestError, api, onUnauthorized } from '../api.ts';
import { applyBatch, applyMissed, applySnapshot, clearView, createLiveState, mergeEvents, setConfig } from './event-state.ts';
import { EMPTY_VIEW, nextView, type LinkState, type StoreView } from './store-view.ts';

/** Hidden tabs get no animation frames; this bounds how stale a view can get before it is redrawn anyway. */
const FRAME_FALLBACK_MS = 250;
/**
 * Views are paced by what they cost: the next one waits at least this many times as long as the last one
 * took to build and render, so that the page spends at most a quarter of its time redrawing. A quiet
 * stream (the tutorial's three writes) redraws on the next frame; a flood whose redraw costs 60 ms
 * redraws about four times a second, and input, scrolling and the chart's own work keep the rest.
 */
const VIEW_COST_FACTOR = 4;
const VIEW_INTERVAL_MAX_MS = 500;
/** A published view that never reports being on screen holds the next one back at most this long. */
const VIEW_RENDER_TIMEOUT_MS = 2000;
/** How long a connection's counters must stand still before what the live stream summarised is fetched. */
const BACKFILL_SETTLE_MS = 500;
/** Fetched events keep the first bytes only, as live ones do: 20,000 events of 4 KiB would be 240 MB of hex. */
const PREVIEW_HEX_CHARS = LIVE_HEX_PREVIEW_BYTES * 3 - 1;

export class EventStore {
  private state = createLiveState();
  private view: StoreView = EMPTY_VIEW;
  private readonly listeners = new Set<() => void>();
  private readonly socket: LiveSocket;
  private link: LinkState = 'connecting';
  private paused = false;
  private receivedAtPause = 0;
  private serverError: string | null = null;
  /** The wire capture's state as the server last told it; null from a server that does not say. */
  private capture: CaptureState | null = null;
  /** Where the echo server listens, as the last snapshot said; null from a server that does not say. */
  private echo: EchoAddress | null = null;
  /** The server wants an access token this page does not have: retrying cannot help, the user must act. */
  private tokenMissing = false;
  private checkingAccess = false;
  /** The first snapshot on a fresh socket replaces everything; one after `missed` is merged. */
  private nextSnapshotResets = true;
  private frame = 0;
  private fallback: ReturnType<typeof setTimeout> | undefined;
  private scheduled = false;
  /** When the last view was published, and what building and rendering it cost (see VIEW_COST_FACTOR). */
  private lastViewAt = -Infinity;
  private lastViewCost = 0;
  /** The view being rendered (published, not yet on screen), and when it was published. */
  private rendering: StoreView | null = null;
  private renderingSince = 0;
  private renderTimeout: ReturnType<typeof setTimeout> | undefined;
  /** Set when the data must be redrawn even though the view is paused (after Clear). */
  private forceData = false;

  constructor(url: string) {
    this.socket = new LiveSocket(url, {
      onOpen: () => {
        this.nextSnapshotResets = true;
      },
      onMessage: (data) => this.receive(data),
      onClose: (opened) => {
        this.link = 'disconnected';
        if (!opened) this.checkAccess();
        this.schedule();
      },
    });
  }

  start(): void {
    onUnauthorized(() => this.checkAccess());
    this.socket.start();
  }

  /**
   * After a 401 from the API, or a socket that failed before it opened: GET /api/limits tells whether the
   * token is why (a 401 again). Then the socket stops for good, and the page says what to do instead.
   */
  checkAccess(): void {
    if (this.tokenMissing || this.checkingAccess || this.link === 'replay') return;
    this.checkingAccess = true;
    void tokenRefused().then((refused) => {
      this.checkingAccess = false;
      if (!refused || this.link === 'replay') return;
      this.tokenMissing = true;
      this.socket.stop();
      this.link = 'disconnected';
      this.schedule();
    });
  }

  /** The user opened the printed address (in another tab, say): goes live again if the token is there now. */
  async retryAccess(): Promise<boolean> {
    if (!this.tokenMissing) return true;
    if (await tokenRefused()) return false;
    this.tokenMissing = false;
    this.link = 'connecting';
    this.socket.start();
    this.schedule();
    return true;
  }

  stop(): void {
    this.socket.stop();
    cancelAnimationFrame(this.frame);
    clearTimeout(this.fallback);
    clearTimeout(this.backfillRetry);
    clearTimeout(this.renderTimeout);
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getView = (): StoreView => this.view;

  /** Change only when the server reports a new state (read through useStoreValue). */
  readonly getCapture = (): CaptureState | null => this.capture;
  readonly getEcho = (): EchoAddress | null => this.echo;
  readonly getTokenMissing = (): boolean => this.tokenMissing;

  setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    this.receivedAtPause = this.state.stats.received + this.state.stats.skipped;
    this.schedule();
  }

  clear(): void {
    clearView(this.state, Date.now());
    this.forceData = true;
    this.schedule();
  }

  /**
   * Session replay (web/session/): the live socket stops for good and the file feeds the same state, so
   * every view follows the scrubber unchanged. A snapshot replaces the state (a seek), a batch appends.
   */
  replay(msg: SnapshotMessage | BatchMessage): void {
    if (this.link !== 'replay') {
      this.socket.stop();
      this.link = 'replay';
      this.state = createLiveState(); // nothing of the live picture (a Clear mark, say) carries over
    }
    if (msg.type === 'snapshot') {
      this.state.stats.received = 0; // counts what the scrubber shows, not how often it moved
      applySnapshot(this.state, msg, 'reset');
    } else applyBatch(this.state, msg);
    this.forceData = true;
    this.schedule();
  }

  /** The answer to a PATCH is the new config: show it now rather than waiting for its event. */
  applyConfig(config: Config): void {
    if (this.link === 'replay') return; // the file's config is the one shown
    setConfig(this.state, config);
    this.schedule();
  }

  /** Counters of each connection at its last backfill, so a gap that cannot be filled is asked about once. */
  private readonly backfilled = new Map<number, string>();
  private backfillBusy = false;
  private backfillRetry: ReturnType<typeof setTimeout> | undefined;

  /**
   * Fetches the writes and reads of one connection that the live stream summarised instead of
   * sending (a corked burst of hundreds of writes, say), so that the chart and the ribbon are
   * complete. Only once its counters have stood still for a moment: while a connection streams at full
   * speed, every fetch (a full query, on the server and here) would be outdated on arrival, and the
   * live stream comes first. One request at a time.
   */
  backfill(connId: number): void {
    if (this.link === 'replay') return; // a session file has nothing more to fetch
    const counters = this.backfillCounters(connId);
    if (counters === null || this.backfilled.get(connId) === counters) return;
    clearTimeout(this.backfillRetry);
    this.backfillRetry = setTimeout(() => this.fetchBackfill(connId, counters), BACKFILL_SETTLE_MS);
  }

  /** `writes/reads` of a connection the page could hold in full, or null. */
  private backfillCounters(connId: number): string | null {
    const c = this.state.connections.get(connId);
    // More than the page holds would only crowd out the live view.
    if (c === undefined || c.writes + c.reads > this.state.capacity) return null;
    return `${c.writes}/${c.reads}`;
  }

  private fetchBackfill(connId: number, counters: string): void {
    // Moved on since: the change that moved it called backfill() again, which waits anew.
    if (this.link === 'replay' || this.backfillCounters(connId) !== counters) return;
    if (this.backfillBusy) {
      this.backfillRetry = setTimeout(() => this.fetchBackfill(connId, counters), BACKFILL_SETTLE_MS);
      return;
    }
    this.backfillBusy = true;
    this.backfilled.set(connId, counters);
    Promise.all([
      api.getEvents({ kind: 'write', connId, limit: EVENTS_QUERY_LIMIT_MAX }),
      api.getEvents({ kind: 'read', connId, limit: EVENTS_QUERY_LIMIT_MAX }),
    ])
      .then(([writes, reads]) => {
        if (mergeEvents(this.state, [...writes, ...reads].map(asPreview)) > 0) this.schedule();
      })
      .catch(() => {
        // The view stays as the live stream left it; the next change of counters asks again.
        this.backfilled.delete(connId);
      })
      .finally(() => {
        this.backfillBusy = false;
      });
  }

  private receive(data: string): void {
    let msg: ServerMessage;
    try {
      msg = JSON.parse(data) as ServerMessage;
    } catch {
      return;
    }
    // Messages are not validated against the zod schemas on purpose: a newer server may send event
    // kinds this page does not know, and those must pass through to the log rather than sink a batch.
    switch (msg.type) {
      case 'snapshot':
        // A new session on the server (POST /api/session/reset): nothing held from before counts any more.
        if (msg.reset === true) this.state = createLiveState();
        applySnapshot(this.state, msg, this.nextSnapshotResets || msg.reset === true ? 'reset' : 'merge');
        this.nextSnapshotResets = false;
        this.link = 'live';
        this.forceData ||= this.paused; // a new server's picture replaces a frozen one from an old server
        if (msg.capture !== undefined) this.capture = msg.capture;
        if (msg.echo !== undefined) this.echo = msg.echo;
        break;
      case 'batch':
        applyBatch(this.state, msg);
        break;
      case 'missed':
        applyMissed(this.state, msg.count);
        break;
      case 'capture':
        this.capture = msg.state;
        break;
      case 'error':
        this.serverError = msg.message;
        break;
      default:
        return;
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // One view at a time: the next is scheduled once this one is on screen (viewShown).
    if (this.rendering !== null) return;
    const wait = Math.min(VIEW_INTERVAL_MAX_MS, this.lastViewCost * VIEW_COST_FACTOR) - (performance.now() - this.lastViewAt);
    if (wait > 0) {
      // The last view was costly and recent: the next one waits its turn (a frame is then not needed).
      this.fallback = setTimeout(this.flush, wait);
      return;
    }
    this.frame = requestAnimationFrame(this.flush);
    this.fallback = setTimeout(this.flush, FRAME_FALLBACK_MS);
  }

  private readonly flush = (): void => {
    if (!this.scheduled) return;
    const started = performance.now();
    this.scheduled = false;
    cancelAnimationFrame(this.frame);
    clearTimeout(this.fallback);
    const { received, skipped } = this.state.stats;
    const previous = this.view;
    this.view = nextView(
      this.state,
      this.view,
      {
        link: this.link,
        paused: this.paused,
        pending: this.paused ? received + skipped - this.receivedAtPause : 0,
        serverError: this.serverError,
      },
      this.paused && !this.forceData,
    );
    this.forceData = false;
    if (this.view === previous) {
      // Nothing of the view changed (the capture's state, say, did): nothing to pace.
      for (const listener of this.listeners) listener();
      return;
    }
    this.rendering = this.view;
    this.renderingSince = started;
    // Should no view ever report that it is on screen (nothing mounted), the next is not held back for long.
    this.renderTimeout = setTimeout(() => this.viewShown(this.view), VIEW_RENDER_TIMEOUT_MS);
    startTransition(() => {
      for (const listener of this.listeners) listener();
    });
  };

  /**
   * A view is on screen (ViewPacer's effect): what it cost from publishing to painting paces the next
   * (see VIEW_COST_FACTOR), and a view held back meanwhile is scheduled now.
   */
  readonly viewShown = (view: StoreView): void => {
    if (this.rendering === null || view !== this.rendering) return;
    this.rendering = null;
    clearTimeout(this.renderTimeout);
    this.lastViewAt = this.renderingSince;
    this.lastViewCost = performance.now() - this.renderingSince;
    if (this.scheduled) {
      this.scheduled = false;
      this.schedule();
    }
  };
}

export type EchoAddress = NonNullable<SnapshotMessage['echo']>;

/** An event as a live batch would carry it: the event detail fetches the rest of its bytes when opened. */
function asPreview(e: TcpEvent): TcpEvent {
  if (!('hex' in e) || e.hex.length <= PREVIEW_HEX_CHARS) return e;
  return { ...e, hex: e.hex.slice(0, PREVIEW_HEX_CHARS), truncated: true };
}

/** Whether the API refuses this page for want of the access token (and is not merely unreachable). */
function tokenRefused(): Promise<boolean> {
  return api.getLimits().then(
    () => false,
    (err: unknown) => err instanceof ApiRequestError && err.status === 401,
  );
}

export const StoreContext = createContext<EventStore | null>(null);

export function useStore(): EventStore {
  const store = useContext(StoreContext);
  if (store === null) throw new Error('useStore outside <StoreContext.Provider>');
  return store;
}

/**
 * The current view; the component re-renders when a new one is published, in a transition (see the top of
 * this file): not useSyncExternalStore, whose updates are always rendered in one blocking pass.
 */
export function useStoreView(): StoreView {
  return useStoreValue(readView);
}

const readView = (store: EventStore): StoreView => store.getView();

/**
 * One value read from the store (its view, the capture's state, …), updated with every view the store
 * publishes, in the same transition: a value read through useSyncExternalStore instead would turn that
 * transition back into one blocking render whenever it changed.
 */
export function useStoreValue<T>(read: (store: EventStore) => T): T {
  const store = useStore();
  const [value, setValue] = useState(() => read(store));
  // `read` is a module-level function in every caller, so the subscription is made once per store.
  useEffect(() => {
    const update = () => setValue(read(store));
    const stop = store.subscribe(update);
    update(); // a view published between this component's render and now
    return stop;
  }, [store, read]);
  return value;
}

/** Tells the store when each view is on screen, which paces the next one. Mounted once, at the root. */
export function ViewPacer(): null {
  const store = useStore();
  const view = useStoreView();
  useEffect(() => store.viewShown(view), [store, view]);
  return null;
}

export function liveSocketUrl(loc: Location = location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws`;
}
