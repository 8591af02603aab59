// Who is connected: the open connections by id and by address, and the most recently closed ones.
import type { Connection } from '../../shared/connections.ts';
import { CLOSED_CONNECTIONS_KEPT } from '../../shared/limits.ts';
import type { ConnectionState } from './connection-state.ts';

/** Loopback peers may show as ::ffff:127.0.0.1 on a dual-stack socket; one spelling per address. */
export function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

export function tupleKey(remoteAddress: string, remotePort: number, localPort: number): string {
  return `${normalizeAddress(remoteAddress)}|${remotePort}|${localPort}`;
}

export class ConnectionRegistry {
  private nextId = 1;
  private readonly open = new Map<number, ConnectionState>();
  /** A watched server's connections (origin `watched`): listed, but no socket of the echo server's. */
  private readonly watched = new Map<number, ConnectionState>();
  private readonly byTuple = new Map<string, ConnectionState>();
  private readonly closed: ConnectionState[] = [];
  private readonly openListeners = new Set<(c: ConnectionState) => void>();
  private readonly closeListeners = new Set<(c: ConnectionState) => void>();

  allocateId(): number {
    return this.nextId++;
  }

  get openCount(): number {
    return this.open.size;
  }

  add(c: ConnectionState): void {
    (c.origin === 'watched' ? this.watched : this.open).set(c.id, c);
    this.byTuple.set(tupleKey(c.remoteAddress, c.remotePort, c.localPort), c);
    for (const l of this.openListeners) l(c);
  }

  /** Moves a connection to the closed list, which keeps only the newest CLOSED_CONNECTIONS_KEPT. */
  retire(c: ConnectionState): void {
    if (!this.open.delete(c.id) && !this.watched.delete(c.id)) return;
    this.byTuple.delete(tupleKey(c.remoteAddress, c.remotePort, c.localPort));
    this.closed.push(c);
    if (this.closed.length > CLOSED_CONNECTIONS_KEPT) this.closed.shift();
    for (const l of this.closeListeners) l(c);
  }

  /** Forgets every closed connection (a new session: POST /api/session/reset); returns their ids. */
  forgetClosed(): number[] {
    const ids = this.closed.map((c) => c.id);
    this.closed.length = 0;
    return ids;
  }

  get(id: number): ConnectionState | undefined {
    return this.open.get(id) ?? this.watched.get(id) ?? this.closed.find((c) => c.id === id);
  }

  /** The open connection whose peer is remoteAddress:remotePort on our localPort. */
  findByTuple(remoteAddress: string, remotePort: number, localPort: number): ConnectionState | undefined {
    return this.byTuple.get(tupleKey(remoteAddress, remotePort, localPort));
  }

  /** The echo server's open connections (not a watched server's). */
  openConnections(): IterableIterator<ConnectionState> {
    return this.open.values();
  }

  onOpen(listener: (c: ConnectionState) => void): () => void {
    this.openListeners.add(listener);
    return () => this.openListeners.delete(listener);
  }

  /** Calls `listener` with each connection as it is retired (closed). */
  onClose(listener: (c: ConnectionState) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Open connections first (oldest first), then the closed ones, oldest first. */
  list(): Connection[] {
    return [...this.open.values(), ...this.watched.values(), ...this.closed].map((c) => c.toJSON());
  }
}
