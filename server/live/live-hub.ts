// Fan-out of events to WebSocket subscribers. Events are batched every LIVE_BATCH_INTERVAL_MS; a batch
// carries at most LIVE_BATCH_MAX_EVENTS in detail (the rest are counted) and is serialised once for
// everyone. A subscriber whose socket backs up stops getting batches, is told how many events it
// missed, and gets a fresh snapshot once it drains: it never slows the echo server or the others.
import type { WebSocket } from 'ws';
import { ClientMessageSchema, type ServerMessage, type SnapshotMessage } from '../../shared/live.ts';
import type { CaptureState } from '../../shared/wire.ts';
import {
  LIVE_BATCH_INTERVAL_MS,
  LIVE_BATCH_MAX_EVENTS,
  LIVE_HEX_PREVIEW_BYTES,
  LIVE_SUBSCRIBER_MAX_BUFFERED_BYTES,
  SNAPSHOT_EVENTS,
  WS_CLOSE_GRACE_MS,
  WS_HEARTBEAT_MS,
} from '../../shared/limits.ts';
import type { ConfigStore } from '../config/config-store.ts';
import type { ConnectionRegistry } from '../echo/connection-registry.ts';
import type { ConnectionState } from '../echo/connection-state.ts';
import type { Recorder } from '../events/recorder.ts';
import { type StoredEvent, toWire } from '../events/stored-event.ts';
import { zodMessage } from '../api/zod-validation.ts';
import { BatchJsonWriter } from './batch-json.ts';
import { Heartbeat } from './heartbeat.ts';

/**
 * The hex previews of one batch share this many bytes: a busy stream gets shorter previews (down to 81
 * bytes at LIVE_BATCH_MAX_EVENTS a batch), not a bigger stream. This bounds the live stream in bytes
 * per second whatever the read rate; `truncated` tells the page to fetch the rest.
 */
const BATCH_PREVIEW_BUDGET_BYTES = 16 * 1024;

interface Subscriber {
  ws: WebSocket;
  /** Events this subscriber did not get since it fell behind; -1 while it keeps up. */
  missed: number;
  /** A snapshot handed to the socket that the kernel has not taken yet: at most one at a time. */
  snapshotInFlight: boolean;
  /** A snapshot asked for (resync) while one was in flight or the socket was backed up: sent once it can be. */
  snapshotWanted: boolean;
  /** The session was reset since this subscriber's last snapshot: its next one says so (`reset: true`). */
  resetPending: boolean;
}

export class LiveHub {
  private readonly subscribers = new Set<Subscriber>();
  /**
   * The batch being gathered, in seq order: a chunk event as its seq alone (its object and hex are built
   * from the store at flush), any other event as the object itself, so that `pendingObjects[i]` is null
   * exactly for chunk events.
   */
  private readonly pendingSeqs = new Float64Array(LIVE_BATCH_MAX_EVENTS);
  private readonly pendingObjects: (StoredEvent | null)[] = new Array<StoredEvent | null>(LIVE_BATCH_MAX_EVENTS).fill(null);
  private pendingCount = 0;
  private skipped = 0;
  private changed = new Set<ConnectionState>();
  /** The connection last added to `changed`: a run of reads on one connection skips the Set. */
  private lastChanged: ConnectionState | null = null;
  /** The recorder's count of summarised chunks when the last batch went out. */
  private summarisedSent = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly batchWriter = new BatchJsonWriter();

  private readonly batchIntervalMs: number;
  private readonly maxBufferedBytes: number;
  /** Drops subscribers that vanished without a close frame. */
  private readonly heartbeat: Heartbeat;
  private closing = false;
  /** The wire capture's current state, when there is a capture. */
  private captureState: (() => CaptureState) | null = null;
  /** Told of answers not sent to a subscriber that reads nothing (pongs, errors dropped; resyncs coalesced). */
  private onUnread: (n: number) => void = () => {};
  /** Messages from pages handled so far, answered or not (tests wait on it). */
  messagesHandled = 0;
  /** Snapshots handed to sockets so far. */
  snapshotsSent = 0;

  constructor(
    private readonly deps: {
      recorder: Recorder;
      registry: ConnectionRegistry;
      config: ConfigStore;
      /** Where the echo server listens, once it does. */
      echo?: () => { host: string; port: number } | null;
    },
    options: { batchIntervalMs?: number | undefined; maxBufferedBytes?: number | undefined; heartbeatMs?: number | undefined } = {},
  ) {
    this.batchIntervalMs = options.batchIntervalMs ?? LIVE_BATCH_INTERVAL_MS;
    this.maxBufferedBytes = options.maxBufferedBytes ?? LIVE_SUBSCRIBER_MAX_BUFFERED_BYTES;
    this.heartbeat = new Heartbeat(options.heartbeatMs ?? WS_HEARTBEAT_MS);
    deps.recorder.onChunk((_kind, conn, seq) => this.offer(seq, null, conn));
    deps.recorder.subscribe((e, conn) => this.offer(e.seq, e, conn), { chunks: false });
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Subscribers that fell behind and wait to drain before their resync. */
  get laggingCount(): number {
    let n = 0;
    for (const sub of this.subscribers) if (sub.missed >= 0) n++;
    return n;
  }

  add(ws: WebSocket): void {
    if (this.closing) {
      ws.close(1001, 'tcpscope is shutting down'); // an upgrade that finished during shutdown
      return;
    }
    this.heartbeat.watch(ws);
    if (this.subscribers.size === 0) {
      // Chunks summarised while nobody watched are in the snapshot's counters, not news for the next batch.
      this.summarisedSent = this.deps.recorder.summarised;
      this.deps.recorder.refillByBatch(() => (this.timer ??= setTimeout(() => this.flush(), this.batchIntervalMs)));
    }
    const sub: Subscriber = { ws, missed: -1, snapshotInFlight: false, snapshotWanted: false, resetPending: false };
    this.subscribers.add(sub);
    ws.on('close', () => {
      this.subscribers.delete(sub);
      if (this.subscribers.size === 0) this.deps.recorder.refillByBatch(null);
    });
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => this.onMessage(sub, data.toString(), isBinary));
    this.sendSnapshot(sub);
  }

  /** Where answers a subscriber never read are counted (GET /api/limits `wsUnread`). */
  countUnread(onUnread: (n: number) => void): void {
    this.onUnread = onUnread;
  }

  /** Closes every subscriber with `code` (1001 on shutdown). */
  closeAll(code: number, reason: string): void {
    this.closing = true;
    this.heartbeat.stop();
    const closing = [...this.subscribers].map((sub) => sub.ws);
    for (const ws of closing) ws.close(code, reason);
    // A vanished peer never answers the close frame: cut it off rather than hold shutdown for ws's 30 s.
    setTimeout(() => closing.forEach((ws) => ws.terminate()), WS_CLOSE_GRACE_MS).unref();
    this.subscribers.clear();
    this.deps.recorder.refillByBatch(null);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  snapshot(): SnapshotMessage {
    const events = this.deps.recorder.store.query({ limit: SNAPSHOT_EVENTS });
    return {
      type: 'snapshot',
      config: this.deps.config.get(),
      connections: this.deps.registry.list(),
      events: events.map((e) => toWire(e, LIVE_HEX_PREVIEW_BYTES)),
      nextSeq: this.deps.recorder.nextSeq,
      ...(this.deps.echo?.() ? { echo: this.deps.echo()! } : {}),
      ...(this.captureState ? { capture: this.captureState() } : {}),
    };
  }

  /**
   * A new session (POST /api/session/reset), called once the store is emptied: the batch being gathered
   * holds events of the old session and is dropped, and every subscriber gets a snapshot marked
   * `reset: true` (a lagging one, once it drains), from which a page starts over rather than merging.
   */
  resetSession(): void {
    for (let i = 0; i < this.pendingCount; i++) this.pendingObjects[i] = null;
    this.pendingCount = 0;
    this.skipped = 0;
    this.changed = new Set();
    this.lastChanged = null;
    this.summarisedSent = this.deps.recorder.summarised;
    for (const sub of this.subscribers) {
      sub.resetPending = true;
      // One that fell behind gets its snapshot when it drains, as always; the mark waits for it.
      if (sub.missed < 0) this.requestSnapshot(sub);
    }
  }

  /** Snapshots carry the capture's state from now on; `captureChanged` tells every subscriber of a change. */
  watchCapture(state: () => CaptureState): void {
    this.captureState = state;
  }

  captureChanged(): void {
    if (this.captureState === null) return;
    const message: ServerMessage = { type: 'capture', state: this.captureState() };
    // A lagging subscriber gets it with its next snapshot.
    for (const sub of this.subscribers) if (sub.missed < 0) this.send(sub.ws, message);
  }

  // On the per-read path: O(1), no allocation, and nothing at all while nobody watches.
  private offer(seq: number, e: StoredEvent | null, conn: ConnectionState | null): void {
    if (this.subscribers.size === 0) return;
    if (this.pendingCount < LIVE_BATCH_MAX_EVENTS) {
      this.pendingSeqs[this.pendingCount] = seq;
      this.pendingObjects[this.pendingCount++] = e;
    } else this.skipped++;
    if (conn !== null && conn !== this.lastChanged) {
      this.changed.add(conn);
      this.lastChanged = conn;
    }
    this.timer ??= setTimeout(() => this.flush(), this.batchIntervalMs);
  }

  private flush(): void {
    this.timer = null;
    // A new period: chunks from now on are detailed again, up to the budget, and summarised after (see
    // Recorder.refillByBatch). The first chunk summarised in a period asks for this flush: the counters
    // below include every one of them.
    this.deps.recorder.refillDetail();
    const count = this.pendingCount + this.skipped;
    const summarised = this.deps.recorder.summarised - this.summarisedSent;
    this.summarisedSent += summarised;
    let data: Buffer | null = null;
    if (count > 0 || summarised > 0) {
      if (summarised > 0) this.addSummarisedConnections();
      const preview = Math.min(LIVE_HEX_PREVIEW_BYTES, Math.floor(BATCH_PREVIEW_BUDGET_BYTES / this.pendingCount));
      let skipped = this.skipped;
      // Written straight to bytes, once for all (batch-json.ts): ws would encode a string again for every subscriber.
      const w = this.batchWriter;
      w.begin();
      for (let i = 0; i < this.pendingCount; i++) {
        const e = this.pendingObjects[i];
        if (e) {
          w.object(toWire(e, preview));
          this.pendingObjects[i] = null;
          continue;
        }
        // A chunk event that the store overwrote before its batch went out (more than the store's capacity
        // of events since it was offered) is gone: it counts as skipped, as if it had not fit the batch.
        if (!this.deps.recorder.store.writeWireBySeq(this.pendingSeqs[i]!, preview, w)) skipped++;
      }
      data = w.end(skipped, summarised, [...this.changed].map((c) => c.toJSON()));
      this.pendingCount = 0;
      this.skipped = 0;
      this.changed = new Set();
      this.lastChanged = null;
    }
    let anyBehind = false;
    for (const sub of this.subscribers) {
      const buffered = sub.ws.bufferedAmount;
      if (sub.snapshotWanted && !sub.snapshotInFlight) {
        // A resync that waited for the socket to drain below its cap.
        if (buffered <= this.maxBufferedBytes) this.sendSnapshot(sub);
        else anyBehind = true;
      }
      if (sub.missed >= 0) {
        sub.missed += count;
        if (buffered === 0) this.resync(sub);
        else anyBehind = true;
      } else if (buffered > this.maxBufferedBytes) {
        sub.missed = count;
        anyBehind = true;
      } else if (data !== null) {
        sub.ws.send(data, { binary: false });
      }
    }
    // Keep checking a backed-up subscriber even when no new events come.
    if (anyBehind) this.timer ??= setTimeout(() => this.flush(), this.batchIntervalMs);
  }

  /**
   * Summarised chunks tell nobody (that is their point): the open connections whose summarised count moved
   * since the last batch are found here, once per batch, so that every batch carries their exact counters.
   */
  private addSummarisedConnections(): void {
    for (const conn of this.deps.registry.openConnections()) {
      if (conn.eventsSummarised === conn.eventsSummarisedSent) continue;
      conn.eventsSummarisedSent = conn.eventsSummarised;
      this.changed.add(conn);
    }
  }

  private resync(sub: Subscriber): void {
    this.send(sub.ws, { type: 'missed', count: sub.missed });
    sub.missed = -1;
    this.requestSnapshot(sub);
  }

  /**
   * A snapshot is the largest thing a subscriber is sent (up to 2,000 events), so it gets at most one in
   * flight: asked again before the kernel took the last one, or while the socket is over its cap, it is sent
   * once, later, and the requests in between count as coalesced.
   */
  private requestSnapshot(sub: Subscriber): void {
    if (sub.snapshotInFlight || sub.ws.bufferedAmount > this.maxBufferedBytes) {
      if (sub.snapshotWanted) this.onUnread(1);
      sub.snapshotWanted = true;
      if (!sub.snapshotInFlight) this.timer ??= setTimeout(() => this.flush(), this.batchIntervalMs);
      return;
    }
    this.sendSnapshot(sub);
  }

  private sendSnapshot(sub: Subscriber): void {
    const ws = sub.ws;
    sub.snapshotWanted = false;
    if (ws.readyState !== ws.OPEN) return;
    sub.snapshotInFlight = true;
    this.snapshotsSent++;
    const snapshot = this.snapshot();
    if (sub.resetPending) {
      snapshot.reset = true;
      sub.resetPending = false;
    }
    ws.send(JSON.stringify(snapshot), (err) => {
      sub.snapshotInFlight = false;
      if (!err && sub.snapshotWanted && this.subscribers.has(sub)) this.requestSnapshot(sub);
    });
  }

  /** A small answer (pong, error): dropped and counted when the subscriber already holds its cap unread. */
  private answer(sub: Subscriber, message: ServerMessage): void {
    if (sub.ws.bufferedAmount > this.maxBufferedBytes) {
      this.onUnread(1);
      return;
    }
    this.send(sub.ws, message);
  }

  private onMessage(sub: Subscriber, text: string, isBinary: boolean): void {
    this.messagesHandled++;
    let parsed: unknown;
    try {
      parsed = isBinary ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const result = ClientMessageSchema.safeParse(parsed);
    if (!result.success) {
      const message =
        isBinary || parsed === undefined ? 'message: must be a JSON text message' : zodMessage(result.error, 'message');
      this.answer(sub, { type: 'error', message });
      return;
    }
    const msg = result.data;
    if (msg.type === 'resync') {
      this.requestSnapshot(sub);
    } else this.answer(sub, { type: 'pong', id: msg.id });
  }

  private send(ws: WebSocket, message: ServerMessage): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  }
}
