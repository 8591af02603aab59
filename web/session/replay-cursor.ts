// A session file replayed as if it were the live stream: at any position the cursor says what the server
// had said by then, as the same snapshot and batch messages the WebSocket carries, so that the page's one
// store takes them unchanged. Pure: no timers, no DOM; the replay controller moves it.
import type { Config } from '../../shared/config.ts';
import type { Connection } from '../../shared/connections.ts';
import type { TcpEvent } from '../../shared/events.ts';
import type { BatchMessage, SnapshotMessage } from '../../shared/live.ts';
import type { SessionDocument } from '../../shared/session.ts';

type Counters = Pick<Connection, 'reads' | 'bytesRead' | 'replies' | 'bytesReplied' | 'writes' | 'bytesWritten'>;
const ZERO: Counters = { reads: 0, bytesRead: 0, replies: 0, bytesReplied: 0, writes: 0, bytesWritten: 0 };

export class ReplayCursor {
  readonly events: readonly TcpEvent[];
  /** Milliseconds of the first event; positions are measured from it. */
  readonly t0: number;
  readonly duration: number;
  /** Running maximum of each event's offset from t0, so that a binary search works even if clocks stepped back. */
  private readonly times: Float64Array;
  /** Connections present before the first event, and the rows that open events bring in. */
  private readonly atStart = new Map<number, Connection>();
  private readonly atOpen = new Map<number, Connection>();
  private rows = new Map<number, Connection>();
  private config: Config;
  private pos = 0;

  constructor(readonly session: SessionDocument) {
    const events = session.events;
    this.events = events;
    this.t0 = events[0]?.t ?? session.exportedAt;
    this.times = new Float64Array(events.length);
    let max = 0;
    for (let i = 0; i < events.length; i++) this.times[i] = max = Math.max(max, events[i]!.t - this.t0);
    this.duration = max;
    this.config = session.initialConfig;
    this.prepareConnections();
    this.rows = new Map(this.atStart);
  }

  get position(): number {
    return this.pos;
  }

  get length(): number {
    return this.events.length;
  }

  /** How many events happened at or before `ms` after the first one. */
  positionAt(ms: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid]! <= ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The time (ms after the first event) of the last event before `position`; 0 at the start. */
  timeOf(position: number): number {
    return position <= 0 ? 0 : this.times[Math.min(position, this.times.length) - 1]!;
  }

  /** Jumps anywhere: the whole picture at `position` (events [0, position)), as a snapshot. */
  seek(position: number): SnapshotMessage {
    const k = clamp(position, this.events.length);
    this.rows = new Map(this.atStart);
    this.config = this.session.initialConfig;
    for (let i = 0; i < k; i++) this.apply(this.events[i]!);
    this.pos = k;
    return {
      type: 'snapshot',
      config: this.config,
      connections: [...this.rows.values()],
      events: this.events.slice(0, k),
      nextSeq: k > 0 ? this.events[k - 1]!.seq + 1 : (this.events[0]?.seq ?? 1),
    };
  }

  /** Moves forward to `position`: the events in between as one batch, with the connections they changed. */
  advanceTo(position: number): BatchMessage {
    const k = clamp(position, this.events.length);
    const changed = new Set<number>();
    for (let i = this.pos; i < k; i++) {
      const id = this.apply(this.events[i]!);
      if (id !== null) changed.add(id);
    }
    const events = k > this.pos ? this.events.slice(this.pos, k) : [];
    this.pos = Math.max(this.pos, k);
    return { type: 'batch', events, skipped: 0, connections: [...changed].map((id) => this.rows.get(id)!) };
  }

  /** Applies one event to the connection rows and config; returns the connection it changed, if any. */
  private apply(e: TcpEvent): number | null {
    switch (e.kind) {
      case 'config':
        this.config = e.config;
        return null;
      case 'open': {
        const row = this.atOpen.get(e.connId);
        if (row === undefined) return null;
        this.rows.set(e.connId, row);
        return e.connId;
      }
      case 'read':
      case 'write':
      case 'reply': {
        const row = this.rows.get(e.connId);
        if (row === undefined) return null;
        const next = { ...row };
        if (e.kind === 'read') (next.reads++, (next.bytesRead += e.length));
        else if (e.kind === 'write') (next.writes++, (next.bytesWritten += e.length));
        else (next.replies++, (next.bytesReplied += e.length));
        this.rows.set(e.connId, next);
        return e.connId;
      }
      case 'close': {
        const row = this.rows.get(e.connId);
        if (row === undefined) return null;
        this.rows.set(e.connId, { ...row, state: 'closed', closedAt: e.t, closeReason: e.reason, closeCode: e.code ?? null });
        return e.connId;
      }
      default:
        return null;
    }
  }

  /**
   * A connection's counters before the file's first event are its final counters less what the file's events
   * add, so that at the end they are exactly the server's. Connections whose open event is in the file appear
   * there; the others were open (or closed, if their close is not in the file either) from the start.
   */
  private prepareConnections(): void {
    const added = new Map<number, Counters>();
    const opens = new Map<number, Extract<TcpEvent, { kind: 'open' }>>();
    const closes = new Set<number>();
    for (const e of this.events) {
      if (e.kind === 'open') opens.set(e.connId, e);
      else if (e.kind === 'close') closes.add(e.connId);
      else if (e.kind === 'read' || e.kind === 'write' || e.kind === 'reply') {
        const c = { ...(added.get(e.connId) ?? ZERO) };
        if (e.kind === 'read') (c.reads++, (c.bytesRead += e.length));
        else if (e.kind === 'write') (c.writes++, (c.bytesWritten += e.length));
        else (c.replies++, (c.bytesReplied += e.length));
        added.set(e.connId, c);
      }
    }
    const listed = new Map(this.session.connections.map((c) => [c.id, c]));
    for (const c of listed.values()) {
      const a = added.get(c.id) ?? ZERO;
      const before: Connection = {
        ...c,
        reads: Math.max(0, c.reads - a.reads),
        bytesRead: Math.max(0, c.bytesRead - a.bytesRead),
        replies: Math.max(0, c.replies - a.replies),
        bytesReplied: Math.max(0, c.bytesReplied - a.bytesReplied),
        writes: Math.max(0, c.writes - a.writes),
        bytesWritten: Math.max(0, c.bytesWritten - a.bytesWritten),
      };
      const stillOpen: Connection = { ...before, state: 'open', closedAt: null, closeReason: null, closeCode: null };
      if (opens.has(c.id)) this.atOpen.set(c.id, stillOpen);
      else this.atStart.set(c.id, c.state === 'closed' && !closes.has(c.id) ? before : stillOpen);
    }
    for (const [id, e] of opens) {
      if (listed.has(id)) continue;
      this.atOpen.set(id, {
        id,
        origin: e.origin,
        remoteAddress: e.remoteAddress,
        remotePort: e.remotePort,
        localAddress: e.localAddress,
        localPort: e.localPort,
        state: 'open',
        openedAt: e.t,
        closedAt: null,
        closeReason: null,
        closeCode: null,
        ...ZERO,
      });
    }
  }
}

function clamp(position: number, length: number): number {
  return Math.max(0, Math.min(length, Math.floor(position)));
}
