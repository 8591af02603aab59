// Follows the echo server's connections from the recorded events, so that a fault test can wait for
// "this client's connection closed, and why" without racing the accept.
import type net from 'node:net';
import type { Tcpscope } from '../../server/app.ts';
import type { StoredEvent } from '../../server/events/stored-event.ts';

type CloseEvent = Extract<StoredEvent, { kind: 'close' }>;

export class ConnTracker {
  private readonly idByPort = new Map<number, number>();
  private readonly portById = new Map<number, number>();
  private readonly closes = new Map<number, CloseEvent>();
  private waiters: (() => void)[] = [];
  private readonly stop: () => void;

  constructor(scope: Tcpscope) {
    this.stop = scope.recorder.subscribe((e) => {
      if (e.kind === 'open') {
        this.idByPort.set(e.remotePort, e.connId);
        this.portById.set(e.connId, e.remotePort);
      } else if (e.kind === 'close') {
        this.closes.set(e.connId, e);
        // A client port is reused soon after: forget it so that it cannot name an old connection.
        const port = this.portById.get(e.connId);
        if (port !== undefined && this.idByPort.get(port) === e.connId) this.idByPort.delete(port);
      } else return;
      const waiting = this.waiters;
      this.waiters = [];
      for (const w of waiting) w();
    });
  }

  dispose(): void {
    this.stop();
  }

  /** Resolves once `check` gives a value; re-checked after every open and close event. */
  private until<T>(check: () => T | undefined): Promise<T> {
    return new Promise((resolve) => {
      const attempt = () => {
        const v = check();
        if (v === undefined) this.waiters.push(attempt);
        else resolve(v);
      };
      attempt();
    });
  }

  /** The server's id for the connection of this (connected) client socket. */
  idOf(client: net.Socket): Promise<number> {
    const port = client.localPort!;
    return this.until(() => this.idByPort.get(port));
  }

  closeOf(id: number): Promise<CloseEvent> {
    return this.until(() => this.closes.get(id));
  }

  /** Resolves once `n` connections have closed in all since this tracker started. */
  closedCount(n: number): Promise<void> {
    return this.until(() => (this.closes.size >= n ? true : undefined)).then(() => undefined);
  }
}
