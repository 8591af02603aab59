// The watches: for each port, find who listens (polling the socket table while waiting, and while
// attached to notice an exit), attach a tracer to it, feed its calls to a CallTracker, and follow a
// restart to the new process. States: waiting → attached; unavailable when no mechanism can trace.
// eBPF follows a restart in the kernel (whoever listens on the port joins the traced processes, and
// says so with a `listen` call): the same program goes on, so a restart is attached as soon as it
// listens. strace traces one process: a restart needs a new strace, found by polling.
import { MAX_WATCHES, WATCH_POLL_MS } from '../../shared/limits.ts';
import type { Watch, WatchMechanism, WatchState } from '../../shared/watch.ts';
import type { Socket } from 'node:net';
import { type ConnectionRegistry, normalizeAddress } from '../echo/connection-registry.ts';
import type { ConnectionState } from '../echo/connection-state.ts';
import { nowMs } from '../events/clock.ts';
import type { Recorder } from '../events/recorder.ts';
import { unavailableReason } from './availability.ts';
import { CallTracker } from './call-tracker.ts';
import { commandOf, type Listener, listeningInodes, lookupListener, processAlive, readTcpTables, stillListening } from './listener-lookup.ts';
import { TracerProcess } from './tracer-process.ts';

export class WatchError extends Error {
  constructor(
    message: string,
    readonly statusCode: 400 | 404 | 409,
  ) {
    super(message);
  }
}

export interface WatchManagerDeps {
  registry: ConnectionRegistry;
  recorder: Recorder;
  /** The echo server's own port: not watchable. */
  echoPort: () => number;
  /** The mechanisms to try, in order (default eBPF, then strace). */
  mechanisms?: WatchMechanism[];
  pollMs?: number;
  /** Measured watched ÷ unwatched throughput per mechanism (from the last bench run), shown on each watch. */
  slowdown?: Partial<Record<WatchMechanism, number>>;
}

class WatchEntry {
  state: WatchState = 'waiting';
  reason: string | null = null;
  since = nowMs();
  listener: Listener | null = null;
  tracer: TracerProcess | null = null;
  tracker: CallTracker | null = null;
  timer: NodeJS.Timeout | null = null;
  readyWaiters: (() => void)[] = [];
  lost = 0;
  /** Processes the eBPF program follows (the first, and each that listened on the port since). */
  readonly followed = new Set<number>();
  /** A listener the socket table shows but the program has not said it follows, and since when. */
  unfollowed: { pid: number; since: number } | null = null;
  constructor(readonly port: number) {}
}

export class WatchManager {
  private readonly entries = new Map<number, WatchEntry>();
  private closed = false;
  private readonly portListeners = new Set<(ports: number[]) => void>();

  constructor(private readonly deps: WatchManagerDeps) {}

  list(): Watch[] {
    return [...this.entries.values()].map((e) => this.view(e));
  }

  get(port: number): Watch | null {
    const e = this.entries.get(port);
    return e ? this.view(e) : null;
  }

  /** Calls `listener` with the watched ports after each add and remove (the capture follows them). */
  onPortsChange(listener: (ports: number[]) => void): () => void {
    this.portListeners.add(listener);
    return () => this.portListeners.delete(listener);
  }

  private portsChanged(): void {
    const ports = [...this.entries.keys()];
    for (const l of this.portListeners) l(ports);
  }

  has(port: number): boolean {
    return this.entries.has(port);
  }

  add(port: number): Watch {
    if (port === this.deps.echoPort()) throw new WatchError(`body.port: ${port} is tcpscope's own echo server, which is shown already`, 400);
    if (this.entries.has(port)) throw new WatchError(`body.port: ${port} is watched already`, 409);
    if (this.entries.size >= MAX_WATCHES) throw new WatchError(`body.port: at most ${MAX_WATCHES} servers are watched at once (MAX_WATCHES)`, 400);
    const entry = new WatchEntry(port);
    this.entries.set(port, entry);
    this.portsChanged();
    this.poll(entry);
    return this.view(entry);
  }

  async remove(port: number): Promise<boolean> {
    const entry = this.entries.get(port);
    if (!entry) return false;
    this.entries.delete(port);
    if (!this.closed) this.portsChanged();
    if (entry.timer) clearTimeout(entry.timer);
    await this.detach(entry, 'UNWATCHED');
    return true;
  }

  /** The connection a burst of the built-in client to a watched port writes on (see CallTracker.adopt). */
  adopt(socket: Socket, port: number): ConnectionState {
    const tracker = this.entries.get(port)?.tracker;
    const tuple = {
      localAddress: normalizeAddress(socket.remoteAddress ?? '127.0.0.1'),
      localPort: port,
      remoteAddress: normalizeAddress(socket.localAddress ?? '127.0.0.1'),
      remotePort: socket.localPort ?? 0,
    };
    if (tracker) return tracker.adopt(tuple);
    socket.destroy();
    throw Object.assign(new Error(`body.port: the watch on ${port} traces no process at the moment (${this.get(port)?.state ?? 'removed'})`), { statusCode: 409 });
  }

  /** Resolves once the watch on `port` traces a process (tests; the page polls GET /api/watches). */
  whenAttached(port: number): Promise<Watch> {
    const entry = this.entries.get(port);
    if (!entry) return Promise.reject(new Error(`port ${port} is not watched`));
    if (entry.state === 'attached') return Promise.resolve(this.view(entry));
    return new Promise((resolve) => entry.readyWaiters.push(() => resolve(this.view(entry))));
  }

  /** The pid of the tracer process of the watch on `port` (tests: eBPF follows a restart with the same one). */
  tracerPid(port: number): number | null {
    return this.entries.get(port)?.tracer?.childPid ?? null;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.entries.keys()].map((p) => this.remove(p)));
  }

  private view(e: WatchEntry): Watch {
    const via = e.tracer?.mechanism ?? null;
    return {
      port: e.port,
      state: e.state,
      pid: e.listener?.pid ?? null,
      command: e.listener?.command ?? null,
      reason: e.reason,
      since: e.since,
      via: e.state === 'attached' ? via : null,
      eventsLost: e.lost + (e.tracker?.lost ?? 0),
      slowdown: via ? (this.deps.slowdown?.[via] ?? null) : null,
    };
  }

  private setState(e: WatchEntry, state: WatchState, reason: string | null): void {
    if (e.state !== state) e.since = nowMs();
    e.state = state;
    e.reason = reason;
    if (state === 'attached') for (const w of e.readyWaiters.splice(0)) w();
  }

  /** One look at the socket table, then the next one WATCH_POLL_MS later, as long as the watch lasts. */
  private poll(e: WatchEntry): void {
    if (this.closed || this.entries.get(e.port) !== e) return;
    try {
      this.look(e);
    } catch (err) {
      this.setState(e, 'unavailable', `cannot read the socket table: ${(err as Error).message}`);
    }
    e.timer = setTimeout(() => this.poll(e), this.deps.pollMs ?? WATCH_POLL_MS);
    e.timer.unref();
  }

  private look(e: WatchEntry): void {
    if (e.listener) {
      if (stillListening(e.listener, e.port)) return;
      // The server exited (or closed its listener): eBPF goes on and follows whoever listens next;
      // strace's connections end, and a restart is looked for at once.
      if (this.follows(e)) this.listenerGone(e);
      else void this.detach(e, 'EXITED');
    }
    const found = lookupListener(e.port);
    if (!found.found) {
      if (found.listening) this.setState(e, 'unavailable', `something listens on port ${e.port}, but its process cannot be seen (run tcpscope as root or as that process's user)`);
      else if (!this.follows(e) || e.state === 'attached') this.setState(e, 'waiting', null);
      return;
    }
    if (this.follows(e)) {
      if (e.followed.has(found.found.pid)) return this.setListener(e, found.found);
      // Its `listen` line may still be on its way; a listener the program missed (one that listened
      // before a restart of ours, say) gets a new program after a second.
      const now = nowMs();
      if (e.unfollowed?.pid !== found.found.pid) e.unfollowed = { pid: found.found.pid, since: now };
      if (now - e.unfollowed.since < 1000) return;
      void this.detach(e, 'EXITED');
    }
    this.attach(e, found.found, this.deps.mechanisms ?? ['ebpf', 'strace']);
  }

  /** Whether the watch's tracer follows the port in the kernel (eBPF, in place). */
  private follows(e: WatchEntry): boolean {
    return e.tracer?.mechanism === 'ebpf' && e.tracer.isReady;
  }

  private setListener(e: WatchEntry, listener: Listener): void {
    e.listener = listener;
    e.unfollowed = null;
    e.tracker?.setRef({ port: e.port, pid: listener.pid, command: listener.command });
    this.setState(e, 'attached', null);
  }

  /** The listener went away under eBPF: a dead process's connections end; the program waits for the next. */
  private listenerGone(e: WatchEntry): void {
    const pid = e.listener!.pid;
    if (!processAlive(pid)) e.tracker?.endPid(pid);
    e.listener = null;
    this.setState(e, 'waiting', null);
  }

  /** eBPF saw `pid` start listening on the port: from its listen() on, its calls are traced. */
  private onListen(e: WatchEntry, pid: number): void {
    e.followed.add(pid);
    if (e.listener?.pid === pid) return;
    if (e.listener && !processAlive(e.listener.pid)) e.tracker?.endPid(e.listener.pid);
    this.setListener(e, { pid, command: commandOf(pid), inodes: listeningInodes(readTcpTables(), e.port) });
  }

  /** eBPF saw a followed process exit: its connections end, and the watch waits for a restart. */
  private onExit(e: WatchEntry, pid: number): void {
    e.followed.delete(pid);
    e.tracker?.endPid(pid);
    if (e.listener?.pid !== pid) return;
    e.listener = null;
    this.setState(e, 'waiting', null);
  }

  private attach(e: WatchEntry, listener: Listener, mechanisms: WatchMechanism[]): void {
    const reasons: string[] = [];
    for (const [i, mechanism] of mechanisms.entries()) {
      const why = unavailableReason(mechanism, listener.pid);
      if (why) {
        reasons.push(why);
        continue;
      }
      e.listener = listener;
      e.followed.clear();
      e.followed.add(listener.pid);
      e.unfollowed = null;
      const tracker = new CallTracker({
        registry: this.deps.registry,
        recorder: this.deps.recorder,
        port: e.port,
        ref: { port: e.port, pid: listener.pid, command: listener.command },
      });
      const tracer = new TracerProcess(mechanism, listener.pid, e.port, {
        onCall: (call) => {
          if (e.tracker !== tracker) return;
          if (call.kind === 'listen') this.onListen(e, call.pid);
          else if (call.kind === 'exit') this.onExit(e, call.pid);
          else tracker.handle(call);
        },
        onReady: () => {
          if (e.tracer !== tracer) return;
          // The process may have exited while the program was being built: then it waits for a restart.
          if (processAlive(listener.pid)) this.setState(e, 'attached', null);
          else this.listenerGone(e);
        },
        onExit: (reason) => {
          if (e.tracer !== tracer) return;
          // A tracer that fails before it is in place: try the next mechanism; one that dies later: look again.
          const wasReady = tracer.isReady;
          e.lost += tracker.lost;
          tracker.closeAll('UNWATCHED');
          e.tracer = null;
          e.tracker = null;
          if (reason === null) return;
          if (!wasReady && i + 1 < mechanisms.length) {
            this.attach(e, listener, mechanisms.slice(i + 1));
            if (e.tracer) return;
          }
          // The listener stays known: it is not tried again until it exits and another takes the port.
          this.setState(e, 'unavailable', `${mechanism === 'ebpf' ? 'bpftrace' : 'strace'} failed: ${reason}`);
        },
      });
      e.tracker = tracker;
      e.tracer = tracer;
      this.setState(e, 'waiting', `attaching to pid ${listener.pid} via ${mechanism}`);
      tracer.start();
      return;
    }
    e.listener = listener;
    this.setState(e, 'unavailable', reasons.join('; '));
  }

  private async detach(e: WatchEntry, code: 'EXITED' | 'UNWATCHED'): Promise<void> {
    const { tracer, tracker } = e;
    e.tracer = null;
    e.tracker = null;
    e.listener = null;
    if (tracker) {
      e.lost += tracker.lost;
      tracker.closeAll(code);
    }
    if (tracer) await tracer.stop();
  }
}
