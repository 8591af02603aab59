// The page's copy of what the server saw, and how each WebSocket message changes it. Plain data and
// plain functions: no socket, no React, no timers, so that the tests drive it message by message.
// The state is mutated in place (a batch arrives every ~25 ms; copying 20,000 events each time would
// be waste); `store-view.ts` freezes it into immutable views for React, once per frame at most.
import type { Config } from '../../shared/config.ts';
import type { Connection } from '../../shared/connections.ts';
import type { ChunkEvent, TcpEvent } from '../../shared/events.ts';
import type { BatchMessage, SnapshotMessage } from '../../shared/live.ts';
import { CLOSED_CONNECTIONS_KEPT } from '../../shared/limits.ts';

/** Events the page holds at most; older ones fall off, as on the server. */
export const CLIENT_EVENT_CAPACITY = 20_000;

/** One connection's chunks by direction and side: what the chart and the ribbon draw. */
export interface ConnStream {
  connId: number;
  /** Writes by the built-in client (client → server bytes, as written). */
  writes: ChunkEvent[];
  /** Reads by the echo server (client → server bytes, as received). */
  reads: ChunkEvent[];
  /** The echo server's replies (server → client bytes). */
  replies: ChunkEvent[];
  /**
   * What the live stream counted but did not send in detail, in seq order among the events above: the
   * chart and the ribbon draw them as exact totals rather than leave a hole. Shared with
   * `LiveState.summaries`, so that rebuilding the streams keeps them.
   */
  summaries: Summary[];
  /**
   * The connection's exact counters as of these events and summaries (null while the page knows none).
   * They travel with the stream so that a view drawing an older copy of the stream (the chart redraws at
   * most every 250 ms under load) never files the newer calls of fresher counters as if they came first.
   */
  counters: StreamCounters | null;
  /** Bumped on every change, so the view layer copies only the streams that changed. */
  version: number;
}

/** A connection's exact counters of writes and reads (a subset of `Connection`). */
export interface StreamCounters {
  writes: number;
  bytesWritten: number;
  reads: number;
  bytesRead: number;
}

/**
 * Writes and reads of one connection that a batch (or a snapshot) counted but did not detail. Exact: the
 * difference between the connection's counters and the events that came in detail. They happened after
 * event `afterSeq` and at or before `toSeq`, and no call of the stream lies in that range; a backfill that
 * fetches some of them takes them out again.
 */
export interface Summary {
  afterSeq: number;
  toSeq: number;
  writes: number;
  writeBytes: number;
  reads: number;
  readBytes: number;
  /**
   * Set on the one summary that the oldest ones were folded into (always the first): it also counts the
   * detailed writes and reads of its range, which the stream then leaves out (the log keeps them).
   */
  folded?: true;
}

/**
 * Summaries kept per connection; past this the oldest two are folded into one, together with the detailed
 * calls between them, so that the bin stays one stretch of the stream (the totals stay exact, and a bin
 * never draws reads before the writes they read).
 */
export const SUMMARIES_PER_CONNECTION_MAX = 500;

export interface LiveStats {
  /** Events that arrived in detail since the page loaded (snapshots included). */
  received: number;
  /** Events the server counted but left out of batches to bound the stream; counters stay exact. */
  skipped: number;
  /** Events lost while this page was behind (the server then sends a fresh snapshot). */
  missed: number;
  /** Events this page let go of to stay within its capacity. */
  evicted: number;
}

export interface ConfigSince {
  /** The config held for events with a seq at or above this one (until the next entry). */
  seq: number;
  config: Config;
}

/** Config changes remembered; far more than a session has, and bounded all the same. */
const CONFIG_HISTORY_MAX = 1_000;

export interface LiveState {
  capacity: number;
  /** Summaries kept per connection (SUMMARIES_PER_CONNECTION_MAX; smaller in tests). */
  summariesMax: number;
  config: Config | null;
  connections: Map<number, Connection>;
  /** Oldest first, at most `capacity`. */
  events: TcpEvent[];
  streams: Map<number, ConnStream>;
  /** Per connection, oldest first: see Summary. */
  summaries: Map<number, Summary[]>;
  /** Every config the page knows of, with the seq from which it held: which buffer cut which read. */
  configHistory: ConfigSince[];
  /** The highest seq applied; batches never go back before it. */
  lastSeq: number;
  /**
   * The highest seq the live stream has accounted for, in detail or summarised. A batch details the
   * first events of its period and counts the rest, and seqs are dense, so the summarised ones are
   * the `skipped` seqs right after its last detailed event: fetching them later is safe up to here.
   */
  horizonSeq: number;
  stats: LiveStats;
  /** "Clear" hides everything before this seq and every connection closed before this time. */
  clearedBelowSeq: number;
  clearedAt: number;
  /** Change counters, compared by the view layer to skip copying what did not change. */
  eventsVersion: number;
  connectionsVersion: number;
  configVersion: number;
}

export function createLiveState(capacity = CLIENT_EVENT_CAPACITY, summariesMax = SUMMARIES_PER_CONNECTION_MAX): LiveState {
  return {
    capacity,
    summariesMax: Math.max(2, summariesMax),
    config: null,
    connections: new Map(),
    events: [],
    streams: new Map(),
    summaries: new Map(),
    configHistory: [],
    lastSeq: -1,
    horizonSeq: -1,
    stats: { received: 0, skipped: 0, missed: 0, evicted: 0 },
    clearedBelowSeq: 0,
    clearedAt: 0,
    eventsVersion: 0,
    connectionsVersion: 0,
    configVersion: 0,
  };
}

/**
 * `reset`: the first snapshot on a new socket, whose server may have restarted — start over from it.
 * `merge`: a snapshot after `missed` on the same socket — keep what we hold from before the gap.
 */
export type SnapshotMode = 'reset' | 'merge';

export function applySnapshot(state: LiveState, msg: SnapshotMessage, mode: SnapshotMode): void {
  // A server that restarted counts seqs from the start again; an old "Clear" mark means nothing there.
  if (msg.nextSeq <= state.lastSeq) {
    state.clearedBelowSeq = 0;
    state.clearedAt = 0;
  }
  const incoming = msg.events.filter((e) => e.seq >= state.clearedBelowSeq);
  const firstIncoming = incoming[0]?.seq ?? msg.nextSeq;
  const kept = mode === 'merge' ? state.events.filter((e) => e.seq < firstIncoming) : [];
  state.events = kept.concat(incoming);
  // Config events order the history; the snapshot's config holds from its nextSeq on. Half a seq
  // before nextSeq keeps it after any config event in the snapshot and before any later one.
  const keptHistory = mode === 'merge' ? state.configHistory.filter((h) => h.seq < firstIncoming) : [];
  state.configHistory = keptHistory.concat(
    incoming.flatMap((e) => (e.kind === 'config' ? [{ seq: e.seq, config: e.config }] : [])),
    [{ seq: msg.nextSeq - 0.5, config: msg.config }],
  );
  state.stats.received += incoming.length;
  const lastKept = kept.at(-1)?.seq ?? -1;
  state.lastSeq = Math.max(msg.nextSeq - 1, state.events.at(-1)?.seq ?? -1);
  state.horizonSeq = state.lastSeq;
  if (mode === 'reset') state.summaries = new Map();
  // After a gap the snapshot may reach back into what the last batches summarised (a gap of fewer events
  // than it holds): what it details is no longer a summary, or it would be counted twice.
  else for (const e of incoming) if (e.kind === 'write' || e.kind === 'read') takeFromSummary(state, e);
  rebuildStreams(state);
  // Whatever the counters hold beyond the events now here happened before the snapshot's first event
  // (and after the last one kept from before a gap): it left the store, or fell in the gap.
  for (const c of msg.connections) {
    if (c.state === 'closed' && (c.closedAt ?? 0) < state.clearedAt) continue;
    const held = heldCounts(state, c.id);
    addSummary(state, c.id, lastKept, firstIncoming - 1, {
      writes: c.writes - held.writes,
      writeBytes: c.bytesWritten - held.writeBytes,
      reads: c.reads - held.reads,
      readBytes: c.bytesRead - held.readBytes,
    });
  }
  trimEvents(state);
  state.eventsVersion++;

  state.connections = new Map();
  for (const c of msg.connections) {
    if (c.state === 'open' || (c.closedAt ?? 0) >= state.clearedAt) state.connections.set(c.id, c);
  }
  trimConnections(state);
  state.connectionsVersion++;
  for (const id of state.streams.keys()) syncCounters(state, id);

  setConfig(state, msg.config);
}

export function applyBatch(state: LiveState, msg: BatchMessage): void {
  let appended = 0;
  // This batch's detailed writes and reads per connection: its counters minus these were summarised.
  const detailed = new Map<number, Counts>();
  for (const e of msg.events) {
    if (e.seq <= state.lastSeq) continue; // already in a snapshot that overlapped this batch
    state.lastSeq = e.seq;
    state.events.push(e);
    indexEvent(state, e);
    if (e.kind === 'write' || e.kind === 'read') countInto(detailed, e);
    appended++;
  }
  state.stats.received += appended;
  // Chunks summarised at the server count with those the stream left out: both are in the counters, not in `events`.
  state.stats.skipped += msg.skipped + (msg.summarised ?? 0);
  const afterSeq = state.lastSeq;
  state.horizonSeq = Math.max(state.horizonSeq, state.lastSeq + msg.skipped);
  if (appended > 0) {
    trimEvents(state);
    state.eventsVersion++;
  }
  if (msg.connections.length > 0) {
    for (const c of msg.connections) {
      const before = state.connections.get(c.id);
      const seen = detailed.get(c.id);
      addSummary(state, c.id, afterSeq, state.horizonSeq, {
        writes: c.writes - (before?.writes ?? 0) - (seen?.writes ?? 0),
        writeBytes: c.bytesWritten - (before?.bytesWritten ?? 0) - (seen?.writeBytes ?? 0),
        reads: c.reads - (before?.reads ?? 0) - (seen?.reads ?? 0),
        readBytes: c.bytesRead - (before?.bytesRead ?? 0) - (seen?.readBytes ?? 0),
      });
      state.connections.set(c.id, c);
      syncCounters(state, c.id);
    }
    trimConnections(state);
    state.connectionsVersion++;
  }
}

/**
 * Adds events fetched over HTTP (the ones a batch summarised instead of sending) in their place.
 * Only seqs the live stream has accounted for are taken: later ones will come by batch, and taking
 * them now would put them out of order. Returns how many were added.
 */
export function mergeEvents(state: LiveState, fetched: readonly TcpEvent[]): number {
  const have = new Set<number>();
  for (const e of state.events) have.add(e.seq);
  const fresh = fetched
    .filter((e) => e.seq <= state.horizonSeq && e.seq >= state.clearedBelowSeq && !have.has(e.seq))
    .sort((a, b) => a.seq - b.seq);
  if (fresh.length === 0) return 0;
  const merged: TcpEvent[] = [];
  let i = 0;
  for (const e of state.events) {
    while (i < fresh.length && fresh[i]!.seq < e.seq) merged.push(fresh[i++]!);
    merged.push(e);
  }
  while (i < fresh.length) merged.push(fresh[i++]!);
  state.events = merged;
  // What was summarised and is now here in detail is no longer a summary.
  for (const e of fresh) if (e.kind === 'write' || e.kind === 'read') takeFromSummary(state, e);
  rebuildStreams(state);
  trimEvents(state);
  state.eventsVersion++;
  return fresh.length;
}

export function applyMissed(state: LiveState, count: number): void {
  state.stats.missed += count;
}

export function setConfig(state: LiveState, config: Config): void {
  state.config = config;
  state.configVersion++;
}

/** Empties the view: events, streams and closed connections. Open connections stay: they are live. */
export function clearView(state: LiveState, now: number): void {
  state.clearedBelowSeq = state.lastSeq + 1;
  state.clearedAt = now;
  state.events = [];
  state.streams = new Map();
  state.summaries = new Map();
  // The status line counts what the view shows: it starts from zero again too.
  state.stats.received = 0;
  state.stats.skipped = 0;
  state.stats.evicted = 0;
  state.eventsVersion++;
  for (const [id, c] of state.connections) if (c.state === 'closed') state.connections.delete(id);
  state.connectionsVersion++;
}

/** Files one event under its connection. Kinds without a stream role (and kinds added later) only go to the log. */
function indexEvent(state: LiveState, e: TcpEvent): void {
  switch (e.kind) {
    case 'write':
    case 'read':
    case 'reply': {
      const s = streamOf(state, e.connId);
      (e.kind === 'write' ? s.writes : e.kind === 'read' ? s.reads : s.replies).push(e);
      s.version++;
      return;
    }
    case 'config':
      setConfig(state, e.config);
      state.configHistory.push({ seq: e.seq, config: e.config });
      if (state.configHistory.length > CONFIG_HISTORY_MAX) state.configHistory.shift();
      return;
    default:
      return;
  }
}

function streamOf(state: LiveState, connId: number): ConnStream {
  let s = state.streams.get(connId);
  if (s === undefined) {
    let summaries = state.summaries.get(connId);
    if (summaries === undefined) state.summaries.set(connId, (summaries = []));
    s = { connId, writes: [], reads: [], replies: [], summaries, counters: countersOf(state.connections.get(connId)), version: 0 };
    state.streams.set(connId, s);
  }
  return s;
}

interface Counts {
  writes: number;
  writeBytes: number;
  reads: number;
  readBytes: number;
}

function countInto(counts: Map<number, Counts>, e: ChunkEvent & { kind: 'write' | 'read' }): void {
  let c = counts.get(e.connId);
  if (c === undefined) counts.set(e.connId, (c = { writes: 0, writeBytes: 0, reads: 0, readBytes: 0 }));
  if (e.kind === 'write') c.writes++, (c.writeBytes += e.length);
  else c.reads++, (c.readBytes += e.length);
}

/** The writes and reads of a connection the page holds, in detail and as summaries. */
function heldCounts(state: LiveState, connId: number): Counts {
  const held = { writes: 0, writeBytes: 0, reads: 0, readBytes: 0 };
  const s = state.streams.get(connId);
  for (const e of s?.writes ?? []) held.writes++, (held.writeBytes += e.length);
  for (const e of s?.reads ?? []) held.reads++, (held.readBytes += e.length);
  for (const m of state.summaries.get(connId) ?? []) {
    held.writes += m.writes;
    held.writeBytes += m.writeBytes;
    held.reads += m.reads;
    held.readBytes += m.readBytes;
  }
  return held;
}

/** Files what a batch or snapshot counted but did not detail; nothing when it detailed everything. */
function addSummary(state: LiveState, connId: number, afterSeq: number, toSeq: number, n: Counts): void {
  const counts = {
    writes: Math.max(0, n.writes),
    writeBytes: Math.max(0, n.writeBytes),
    reads: Math.max(0, n.reads),
    readBytes: Math.max(0, n.readBytes),
  };
  if (counts.writes + counts.writeBytes + counts.reads + counts.readBytes === 0) return;
  const s = streamOf(state, connId);
  const last = s.summaries.at(-1);
  if (last !== undefined && last.afterSeq === afterSeq) {
    // The same place (a snapshot's summary, then a batch with nothing detailed): one summary.
    last.toSeq = Math.max(last.toSeq, toSeq);
    addCounts(last, counts);
  } else {
    s.summaries.push({ afterSeq, toSeq: Math.max(afterSeq, toSeq), ...counts });
  }
  if (s.summaries.length > state.summariesMax) foldOldest(s);
  s.version++;
}

/**
 * Folds the two oldest summaries into one, with the detailed writes and reads between them. Merging the two
 * alone would draw the second one's reads before the writes between them that they read; folded, the bin
 * stays one stretch of the stream. The calls taken out stay in the log; only the chart and ribbon lose
 * their detail, never their counts.
 */
function foldOldest(s: ConnStream): void {
  const [a, b] = s.summaries.splice(0, 2) as [Summary, Summary];
  addCounts(a, b);
  a.toSeq = b.toSeq;
  const inRange = (e: ChunkEvent) => e.seq > a.afterSeq && e.seq <= a.toSeq;
  for (const e of s.writes.filter(inRange)) a.writes++, (a.writeBytes += e.length);
  for (const e of s.reads.filter(inRange)) a.reads++, (a.readBytes += e.length);
  s.writes = s.writes.filter((e) => !inRange(e));
  s.reads = s.reads.filter((e) => !inRange(e));
  a.folded = true;
  s.summaries.unshift(a);
}

/** Whether a write or read is counted in its connection's folded summary rather than held in its stream. */
function isFolded(state: LiveState, e: TcpEvent): boolean {
  const head = state.summaries.get(e.connId)?.[0];
  return head?.folded === true && e.seq > head.afterSeq && e.seq <= head.toSeq;
}

function countersOf(c: Connection | undefined): StreamCounters | null {
  return c === undefined ? null : { writes: c.writes, bytesWritten: c.bytesWritten, reads: c.reads, bytesRead: c.bytesRead };
}

/** Gives a connection's stream the counters the state now holds for it, which its events and summaries match. */
function syncCounters(state: LiveState, connId: number): void {
  const s = state.streams.get(connId);
  const c = state.connections.get(connId);
  if (s === undefined || c === undefined) return;
  const k = s.counters;
  if (k !== null && k.writes === c.writes && k.bytesWritten === c.bytesWritten && k.reads === c.reads && k.bytesRead === c.bytesRead) return;
  s.counters = countersOf(c);
  s.version++;
}

function addCounts(into: Counts, n: Counts): void {
  into.writes += n.writes;
  into.writeBytes += n.writeBytes;
  into.reads += n.reads;
  into.readBytes += n.readBytes;
}

/** A fetched event that a summary stood for: the summary shrinks by it, and goes once empty. */
function takeFromSummary(state: LiveState, e: ChunkEvent & { kind: 'write' | 'read' }): void {
  const list = state.summaries.get(e.connId);
  if (list === undefined) return;
  const i = list.findIndex((m) => m.afterSeq < e.seq && e.seq <= m.toSeq);
  if (i < 0) return;
  const m = list[i]!;
  if (m.folded) return; // it counts its range's calls, detailed or not; the stream leaves them out
  if (e.kind === 'write') (m.writes = Math.max(0, m.writes - 1)), (m.writeBytes = Math.max(0, m.writeBytes - e.length));
  else (m.reads = Math.max(0, m.reads - 1)), (m.readBytes = Math.max(0, m.readBytes - e.length));
  if (m.writes + m.writeBytes + m.reads + m.readBytes === 0) list.splice(i, 1);
}

function rebuildStreams(state: LiveState): void {
  const previous = state.streams;
  state.streams = new Map();
  for (const e of state.events) {
    if (e.kind === 'config') continue; // the snapshot's own config is the current one
    if ((e.kind === 'write' || e.kind === 'read') && isFolded(state, e)) continue;
    indexEvent(state, e);
  }
  for (const [id, list] of state.summaries) {
    if (list.length > 0) streamOf(state, id);
    // An empty list still shared with a stream stays: summaries filed later go into that same list.
    else if (!state.streams.has(id)) state.summaries.delete(id);
  }
  // Versions keep growing across rebuilds so that a view never mistakes a new stream for an old one.
  for (const [id, s] of state.streams) s.version += (previous.get(id)?.version ?? 0) + 1;
}

/**
 * Drops the oldest events beyond capacity. They are the oldest of their streams too, so they sit at the
 * front; their writes and reads are folded into the stream's first summary, so that the stream still
 * counts every call up to its counters (a later snapshot files only what it really lacks).
 */
function trimEvents(state: LiveState): void {
  const excess = state.events.length - state.capacity;
  if (excess <= 0) return;
  const dropped = state.events.splice(0, excess);
  state.stats.evicted += excess;
  const perStream = new Map<number, { lastSeq: number; gone: Counts }>();
  for (const e of dropped) {
    if (e.kind !== 'write' && e.kind !== 'read' && e.kind !== 'reply') continue;
    let n = perStream.get(e.connId);
    if (n === undefined) perStream.set(e.connId, (n = { lastSeq: e.seq, gone: { writes: 0, writeBytes: 0, reads: 0, readBytes: 0 } }));
    n.lastSeq = e.seq;
    // A call its stream's folded summary already counts leaves nothing more to count.
    if (e.kind !== 'reply' && !isFolded(state, e)) {
      if (e.kind === 'write') n.gone.writes++, (n.gone.writeBytes += e.length);
      else n.gone.reads++, (n.gone.readBytes += e.length);
    }
  }
  for (const [connId, { lastSeq, gone }] of perStream) {
    const s = state.streams.get(connId);
    if (s === undefined) continue;
    // By seq, not by count: a stream leaves out the calls its folded summary counts.
    s.writes.splice(0, countUpTo(s.writes, lastSeq));
    s.reads.splice(0, countUpTo(s.reads, lastSeq));
    s.replies.splice(0, countUpTo(s.replies, lastSeq));
    foldGone(s, gone, lastSeq);
    s.version++;
    if (s.writes.length + s.reads.length + s.replies.length === 0 && !state.connections.has(connId)) dropStream(state, connId);
  }
}

/**
 * Every write and read of a stream up to `throughSeq` has left the page: they become its first, folded
 * summary, with everything else of the stream up to the end of that summary's range (the summaries and
 * the calls before that point, all of which happened before the first call the stream still holds).
 */
function foldGone(s: ConnStream, gone: Counts, throughSeq: number): void {
  const head: Summary =
    s.summaries[0]?.folded === true ? s.summaries.shift()! : { afterSeq: -1, toSeq: throughSeq, writes: 0, writeBytes: 0, reads: 0, readBytes: 0 };
  head.afterSeq = -1;
  head.toSeq = Math.max(head.toSeq, throughSeq);
  head.folded = true;
  addCounts(head, gone);
  for (;;) {
    const m = s.summaries[0];
    if (m !== undefined && m.afterSeq < head.toSeq) {
      s.summaries.shift();
      addCounts(head, m);
      head.toSeq = Math.max(head.toSeq, m.toSeq);
      continue;
    }
    const w = countUpTo(s.writes, head.toSeq);
    const r = countUpTo(s.reads, head.toSeq);
    if (w + r === 0) break;
    for (const e of s.writes.splice(0, w)) head.writes++, (head.writeBytes += e.length);
    for (const e of s.reads.splice(0, r)) head.reads++, (head.readBytes += e.length);
  }
  if (head.writes + head.writeBytes + head.reads + head.readBytes > 0) s.summaries.unshift(head);
}

/** Forgets a stream whose events are all gone and whose connection left the list: nothing can show it. */
function dropStream(state: LiveState, connId: number): void {
  state.streams.delete(connId);
  state.summaries.delete(connId);
}

/** How many events at the front of a list ordered by seq have a seq at or below `seq`. */
function countUpTo(list: readonly TcpEvent[], seq: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.seq <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Keeps every open connection and the newest closed ones, as the server's own list does. */
function trimConnections(state: LiveState): void {
  const closed: number[] = [];
  for (const c of state.connections.values()) if (c.state === 'closed') closed.push(c.id);
  if (closed.length <= CLOSED_CONNECTIONS_KEPT) return;
  closed.sort((a, b) => a - b);
  for (const id of closed.slice(0, closed.length - CLOSED_CONNECTIONS_KEPT)) {
    state.connections.delete(id);
    const s = state.streams.get(id);
    if (s !== undefined && s.writes.length + s.reads.length + s.replies.length === 0) dropStream(state, id);
  }
}

/** The config in force when the event with this seq happened, or null when that is older than what the page knows. */
export function configAt(history: readonly ConfigSince[], seq: number): Config | null {
  let lo = 0;
  let hi = history.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (history[mid]!.seq <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? null : history[lo - 1]!.config;
}
