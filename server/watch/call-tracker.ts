// Turns a traced process's calls into connections and events: the first call on a socket of the watched
// port opens a connection (picked up mid-stream unless it was just accepted), each read-like call that
// returned data is a `read`, each write-like call a `reply`, close() ends it (reset after ECONNRESET or
// EPIPE). Everything goes through the same Recorder and ConnectionRegistry as the echo server's own, so
// the store, the live stream and every ceiling apply unchanged.
import type { Socket } from 'node:net';
import type { CloseReason } from '../../shared/events.ts';
import type { WatchRef } from '../../shared/watch-ref.ts';
import type { ConnectionRegistry } from '../echo/connection-registry.ts';
import { ConnectionState } from '../echo/connection-state.ts';
import { nowMs } from '../events/clock.ts';
import type { Recorder } from '../events/recorder.ts';
import type { FdTotals, SocketTuple, TraceCall } from './trace-call.ts';
import { recordClose } from '../echo/record-close.ts';

/** A watched server's connection has no socket of ours: the registry keeps it apart from the echo server's. */
const NO_SOCKET = undefined as unknown as Socket;
/** Connections are keyed by (pid, fd) as one number: fds stay below 2^30 (Linux's nr_open ceiling), pids below 2^22. */
const PID_STRIDE = 2 ** 30;
const keyOf = (pid: number | undefined, fd: number): number => (pid ?? 0) * PID_STRIDE + fd;
/**
 * bpftrace reads one ring per CPU, so a close() can be read before the last read or write of the same
 * connection made on another CPU. A close whose kernel totals are ahead of the lines seen waits this long
 * for them; lines that never come (an overflowed ring) are then counted as lost. 250 ms was once too short
 * on a 2-core machine under the test suite's load: the Go tutorial server's reply line came later,
 * and was counted as lost instead of shown. Only such a close waits; the others end at once.
 */
export const LATE_LINES_WAIT_MS = 1000;

/** A traced close() waiting for its connection's late lines. */
interface ClosingFd {
  conn: ConnectionState;
  read: FdTotals | null;
  write: FdTotals | null;
  timer: NodeJS.Timeout;
}

export interface CallTrackerDeps {
  registry: ConnectionRegistry;
  recorder: Recorder;
  port: number;
  ref: WatchRef;
}

export class CallTracker {
  private readonly byFd = new Map<number, ConnectionState>();
  /** Closes waiting for late lines (at most one per open fd). */
  private readonly closing = new Map<number, ClosingFd>();
  /** fds accepted since the watch began (strace reports accept before the first call). */
  private readonly fresh = new Set<number>();
  /** Lines the tracer could not hand over, over the whole watch. */
  lost = 0;

  constructor(private readonly deps: CallTrackerDeps) {}

  /** The process new connections are said to belong to (a restart brings a new one; eBPF follows it). */
  setRef(ref: WatchRef): void {
    this.deps.ref = ref;
  }

  /**
   * A followed process exited: its connections end (the kernel closed them; no close() was traced). bpftrace
   * reads one ring per CPU, so the exit's line can come before the lines of the process's last calls made on
   * another CPU (its accept, its reads): those would open a connection that nothing ends. So the process's
   * connections are ended once more when late lines have had their time (LATE_LINES_WAIT_MS). A pid is not
   * reused that soon.
   */
  endPid(pid: number): void {
    this.endPidNow(pid);
    setTimeout(() => this.endPidNow(pid), LATE_LINES_WAIT_MS).unref();
  }

  private endPidNow(pid: number): void {
    for (const key of [...this.byFd.keys()]) if (Math.floor(key / PID_STRIDE) === pid) this.endFd(key, { reason: 'end', code: 'EXITED' });
  }

  get openConnections(): number {
    return this.byFd.size;
  }

  handle(call: TraceCall): void {
    switch (call.kind) {
      case 'lost':
        this.lost += call.count;
        return;
      case 'accept':
        this.endFd(call.fd, { reason: 'end', code: null });
        if (this.fresh.size < 65536) this.fresh.add(call.fd);
        return;
      case 'socket': {
        // Two CPUs may both find an fd new at once and both announce it: the same socket is not a new connection.
        const key = keyOf(call.pid, call.fd);
        const known = this.byFd.get(key);
        if (known && known.remotePort === call.tuple.remotePort && known.remoteAddress === call.tuple.remoteAddress) return;
        this.endFd(key, { reason: 'end', code: null });
        this.open(key, call.tuple, call.fresh);
        return;
      }
      case 'totals': {
        // Calls counted in the kernel but not shown (the detail budget): the counters catch up now.
        const conn = this.byFd.get(keyOf(call.pid, call.fd));
        if (!conn) return;
        this.reconcile(conn, 'read', call.read);
        this.reconcile(conn, 'write', call.write);
        return;
      }
      case 'listen':
      case 'exit':
        return; // the watch manager's business
      case 'read':
      case 'write': {
        const key = keyOf(call.pid, call.fd);
        const conn = this.connFor(key, call.tuple);
        if (!conn) return;
        this.chunk(conn, call.kind, call.ret, call.requested, call.preview, call.totals);
        if (this.closing.size > 0) {
          const c = this.closing.get(key);
          if (c && !this.behind(conn, c.read, c.write)) this.finishClose(key);
        }
        return;
      }
      case 'wouldBlock': {
        const conn = this.connFor(call.fd, call.tuple);
        if (conn?.watch) conn.watch.wouldBlock++;
        return;
      }
      case 'error': {
        const conn = this.connFor(keyOf(call.pid, call.fd), call.tuple);
        if (!conn) return;
        const reset = call.errno === 'ECONNRESET' || call.errno === 'EPIPE';
        conn.pendingReason ??= { reason: reset ? 'reset' : 'error', code: call.errno };
        return;
      }
      case 'close': {
        const key = keyOf(call.pid, call.fd);
        const conn = this.byFd.get(key);
        this.fresh.delete(key);
        if (!conn || this.closing.has(key)) return;
        if (this.behind(conn, call.read, call.write)) {
          const timer = setTimeout(() => this.finishClose(key), LATE_LINES_WAIT_MS);
          timer.unref();
          this.closing.set(key, { conn, read: call.read, write: call.write, timer });
          return;
        }
        this.settleClose(key, conn, call.read, call.write);
        return;
      }
    }
  }

  /** Ends every connection: the process exited (`EXITED`) or the watch stopped (`UNWATCHED`). */
  closeAll(code: 'EXITED' | 'UNWATCHED'): void {
    this.finishCloses();
    for (const fd of [...this.byFd.keys()]) this.endFd(fd, { reason: 'end', code });
  }

  /** Ends the closes still waiting for late lines now: what has not come is counted as lost. */
  finishCloses(): void {
    for (const key of [...this.closing.keys()]) this.finishClose(key);
  }

  /** Calls the kernel counted on this connection that no line has told yet. */
  private behind(conn: ConnectionState, read: FdTotals | null, write: FdTotals | null): boolean {
    return (read !== null && read.calls > conn.reads) || (write !== null && write.calls > conn.replies);
  }

  private finishClose(key: number): void {
    const c = this.closing.get(key);
    if (!c) return;
    this.closing.delete(key);
    clearTimeout(c.timer);
    // Unless it ended meanwhile (its fd reused, its process gone). Recorded now, after its late lines: the
    // events' times stay in order.
    if (this.byFd.get(key) === c.conn) this.settleClose(key, c.conn, c.read, c.write);
  }

  /** A traced close() ends its connection: the kernel's final totals first (they also carry the EAGAINs no line told). */
  private settleClose(key: number, conn: ConnectionState, read: FdTotals | null, write: FdTotals | null): void {
    if (read) this.reconcile(conn, 'read', read);
    if (write) this.reconcile(conn, 'write', write);
    this.endFd(key, conn.pendingReason ?? { reason: 'end', code: null });
  }

  private connFor(fd: number, tuple: SocketTuple | null): ConnectionState | undefined {
    const known = this.byFd.get(fd);
    if (known) return known;
    // strace names the socket on every line; eBPF announces it with a `socket` call first.
    if (!tuple || tuple.localPort !== this.deps.port || tuple.remotePort === 0) return undefined;
    return this.open(fd, tuple, this.fresh.has(fd));
  }

  /**
   * The built-in client's connection to the watched port, registered at its connect so that its writes
   * and the server's reads are one connection: the server's first call on it finds it by its addresses.
   */
  adopt(tuple: SocketTuple): ConnectionState {
    const known = this.deps.registry.findByTuple(tuple.remoteAddress, tuple.remotePort, tuple.localPort);
    if (known?.watch && known.state === 'open') return known;
    return this.register(tuple, true);
  }

  private open(fd: number, tuple: SocketTuple, fresh: boolean): ConnectionState {
    // The built-in client registers its connection to a watched port before the server's first call.
    const claimed = this.deps.registry.findByTuple(tuple.remoteAddress, tuple.remotePort, tuple.localPort);
    if (claimed?.watch && claimed.state === 'open' && !this.isTracked(claimed)) {
      this.byFd.set(fd, claimed);
      this.fresh.delete(fd);
      return claimed;
    }
    const conn = this.register(tuple, fresh);
    this.byFd.set(fd, conn);
    this.fresh.delete(fd);
    return conn;
  }

  private register(tuple: SocketTuple, fresh: boolean): ConnectionState {
    const { registry, recorder } = this.deps;
    const conn = new ConnectionState(
      registry.allocateId(),
      NO_SOCKET,
      'watched',
      tuple.remoteAddress,
      tuple.remotePort,
      tuple.localAddress,
      tuple.localPort,
      nowMs(),
    );
    conn.watch = { ref: this.deps.ref, wouldBlock: 0, midStream: !fresh, eventsLost: 0 };
    registry.add(conn);
    recorder.record(
      {
        kind: 'open',
        t: conn.openedAt,
        connId: conn.id,
        remoteAddress: conn.remoteAddress,
        remotePort: conn.remotePort,
        localAddress: conn.localAddress,
        localPort: conn.localPort,
        origin: 'watched',
        watch: this.deps.ref,
      },
      conn,
    );
    return conn;
  }

  private isTracked(conn: ConnectionState): boolean {
    for (const c of this.byFd.values()) if (c === conn) return true;
    return false;
  }

  // The hot path: one traced call. With the kernel's totals (eBPF), counters and offsets come from them:
  // calls whose lines were lost still count, and a line that arrives late (bpftrace reads one ring per
  // CPU, so a thread that moved CPUs can be read out of order) keeps its exact offset and counts once.
  private chunk(conn: ConnectionState, kind: 'read' | 'write', ret: number, requested: number, preview: Buffer, totals: FdTotals | null): void {
    let offset: number;
    if (totals) {
      offset = totals.bytes - ret;
      const w = conn.watch!;
      const seen = kind === 'read' ? conn.reads : conn.replies;
      if (totals.calls > seen) {
        w.eventsLost += totals.calls - seen - 1;
        this.setCounters(conn, kind, totals);
      } else if (w.eventsLost > 0) {
        w.eventsLost--; // counted as lost when a later line came first; here it is after all
      }
      if (kind === 'read' && totals.wouldBlock > w.wouldBlock) w.wouldBlock = totals.wouldBlock;
    } else if (kind === 'read') {
      offset = conn.bytesRead;
      conn.reads++;
      conn.bytesRead += ret;
    } else {
      offset = conn.bytesReplied;
      conn.replies++;
      conn.bytesReplied += ret;
    }
    this.deps.recorder.chunk(kind === 'read' ? 'read' : 'reply', conn, offset, preview, ret, { available: preview.length, requested });
  }

  /** At close, the kernel's final totals: whatever no line told is counted as lost. */
  private reconcile(conn: ConnectionState, kind: 'read' | 'write', totals: FdTotals): void {
    const w = conn.watch!;
    const seen = kind === 'read' ? conn.reads : conn.replies;
    if (totals.calls > seen) {
      w.eventsLost += totals.calls - seen;
      this.setCounters(conn, kind, totals);
    }
    if (kind === 'read' && totals.wouldBlock > w.wouldBlock) w.wouldBlock = totals.wouldBlock;
  }

  private setCounters(conn: ConnectionState, kind: 'read' | 'write', totals: FdTotals): void {
    if (kind === 'read') {
      conn.reads = totals.calls;
      conn.bytesRead = totals.bytes;
    } else {
      conn.replies = totals.calls;
      conn.bytesReplied = totals.bytes;
    }
  }

  private endFd(fd: number, cause: { reason: CloseReason; code: string | null }): void {
    if (this.closing.has(fd)) this.finishClose(fd);
    const conn = this.byFd.get(fd);
    if (!conn) return;
    this.byFd.delete(fd);
    recordClose(this.deps, conn, cause);
  }
}
