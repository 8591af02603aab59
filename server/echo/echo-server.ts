// The echo server: accepts connections, reads each with the live read buffer, records every read and
// replies per the reply mode. The per-read path is `onRead` below: one copy for the event, one reply.
import net from 'node:net';
import type { Config } from '../../shared/config.ts';
import { BUFFER_SIZE_MAX } from '../../shared/limits.ts';
import type { BuiltinClaims } from '../client/builtin-claims.ts';
import type { ConfigStore } from '../config/config-store.ts';
import { nowMs } from '../events/clock.ts';
import type { Recorder } from '../events/recorder.ts';
import { closeReasonOf } from './close-reason.ts';
import { type ConnectionRegistry, normalizeAddress } from './connection-registry.ts';
import { ConnectionState } from './connection-state.ts';
import { readIntoUserBuffer, swapUserBuffer } from './socket-internals.ts';
import { recordClose } from './record-close.ts';
import { POOLED_REPLY_MIN_BYTES, ReplyBuffers } from './reply-buffers.ts';

/** A peer that does not read our replies may hold at most this much in our send buffer; then we stop reading it. */
const MAX_PENDING_REPLY_BYTES = 1024 * 1024;
/** Echo reply buffers kept for their next use, over all connections: one connection's pending replies and a read. */
const REPLY_BUFFERS_KEPT_BYTES = MAX_PENDING_REPLY_BYTES + BUFFER_SIZE_MAX;

/**
 * `Received: N` for each N met so far, made once: the ack path then formats and allocates nothing per
 * read. A cached reply may be written many times at once, as nothing ever writes into it. N is a read's
 * or a framed message's length; a length above the cache's range (framing's large messages) is made
 * per reply.
 */
const ACK_CACHE_MAX = 65536;
const ackCache: (Buffer | undefined)[] = [];
function ackReply(length: number): Buffer {
  if (length > ACK_CACHE_MAX) return Buffer.from(`Received: ${length}`, 'latin1');
  return (ackCache[length] ??= Buffer.from(`Received: ${length}`, 'latin1'));
}

/**
 * What happens to the bytes of one read once it is recorded. The default replies per read; framing
 * replaces it with one that replies per message. `bytes` is valid only during the call.
 */
export interface ReadHandler {
  onRead(conn: ConnectionState, bytes: Buffer, length: number, readSeq: number): void;
}

export interface EchoServerDeps {
  registry: ConnectionRegistry;
  recorder: Recorder;
  config: ConfigStore;
  claims: BuiltinClaims;
  /** At most this many open connections; more are accepted, closed at once and logged with reason `limit`. */
  maxConnections?: number;
}

export class EchoServer {
  private readonly servers: net.Server[] = [];
  private readBuf: Buffer;
  private readonly replyBuffers = new ReplyBuffers(REPLY_BUFFERS_KEPT_BYTES);
  /** Replies to every read on its own: what runs while no connection is framed. */
  readonly perReadHandler: ReadHandler = { onRead: (conn, bytes, length) => this.reply(conn, bytes, length) };
  private readHandler: ReadHandler = this.perReadHandler;
  boundPort = 0;

  constructor(private readonly deps: EchoServerDeps) {
    this.readBuf = Buffer.allocUnsafe(deps.config.get().bufferSize);
    deps.config.onChange((next, prev) => this.onConfig(next, prev));
  }

  setReadHandler(handler: ReadHandler): void {
    this.readHandler = handler;
  }

  /** Listens on every host (the first decides the port when `port` is 0). Rejects naming the port if it is taken. */
  async listen(hosts: string[], port: number): Promise<number> {
    for (const [i, host] of hosts.entries()) {
      const server = net.createServer({ pauseOnConnect: true, noDelay: true }, (s) => this.accept(s));
      const wanted = i === 0 ? port : this.boundPort;
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen({ host, port: wanted, exclusive: true }, () => {
            server.off('error', reject);
            resolve();
          });
        });
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        // A second loopback (::1) that this machine lacks is not an error: the first one is enough.
        if (i > 0 && (e.code === 'EADDRNOTAVAIL' || e.code === 'EAFNOSUPPORT')) continue;
        await this.close();
        if (e.code === 'EADDRINUSE') throw new Error(`TCP port ${wanted} on ${host} is already in use`);
        throw new Error(`cannot listen on TCP ${host}:${wanted}: ${e.message}`);
      }
      server.on('error', (err) => process.emitWarning(`echo server: ${err.message}`));
      this.servers.push(server);
      if (i === 0) this.boundPort = (server.address() as net.AddressInfo).port;
    }
    return this.boundPort;
  }

  /** Stops accepting and closes every connection with reason `server`. */
  async close(): Promise<void> {
    const closing = this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
    this.servers.length = 0;
    for (const conn of this.deps.registry.openConnections()) this.closeConnection(conn, 'server');
    await Promise.all(closing);
  }

  /** Closes one connection, recording `reason` (server, limit, protocol) as the cause. */
  closeConnection(conn: ConnectionState, reason: 'server' | 'limit' | 'protocol', code: string | null = null): void {
    conn.pendingReason ??= { reason, code };
    conn.socket.destroy();
  }

  private accept(socket: net.Socket): void {
    const { registry, recorder, claims } = this.deps;
    const remoteAddress = normalizeAddress(socket.remoteAddress ?? '');
    const remotePort = socket.remotePort ?? 0;
    const resolveBuiltin = claims.take(remoteAddress, remotePort);
    const conn = new ConnectionState(
      registry.allocateId(),
      socket,
      resolveBuiltin ? 'builtin' : 'external',
      remoteAddress,
      remotePort,
      normalizeAddress(socket.localAddress ?? ''),
      socket.localPort ?? 0,
      nowMs(),
    );
    registry.add(conn);
    recorder.record(
      {
        kind: 'open',
        t: conn.openedAt,
        connId: conn.id,
        remoteAddress,
        remotePort,
        localAddress: conn.localAddress,
        localPort: conn.localPort,
        origin: conn.origin,
      },
      conn,
    );
    socket.on('error', (err) => {
      conn.pendingReason ??= closeReasonOf(err);
    });
    socket.on('end', () => {
      conn.pendingReason ??= { reason: 'end', code: null };
    });
    socket.on('close', () => this.finish(conn));
    resolveBuiltin?.(conn);

    const max = this.deps.maxConnections;
    if (max !== undefined && registry.openCount > max) {
      this.closeConnection(conn, 'limit');
      return;
    }
    readIntoUserBuffer(socket, this.readBuf, (nread, buf) => this.onRead(conn, buf, nread));
    socket.on('drain', () => this.maybeResume(conn));
    if (!this.deps.config.get().paused) socket.resume();
  }

  // The hot path: runs once per kernel read, synchronously, before the buffer is reused.
  private onRead(conn: ConnectionState, buf: Buffer, nread: number): void {
    const offset = conn.bytesRead;
    conn.reads++;
    conn.bytesRead += nread;
    // Node calls us straight from the socket's native read: a throw here would take the whole process
    // down. A bug met by one connection closes that connection, with the error's code, and nothing else.
    try {
      const seq = this.deps.recorder.chunk('read', conn, offset, buf, nread);
      this.readHandler.onRead(conn, buf, nread, seq);
    } catch (err) {
      this.failConnection(conn, err);
    }
  }

  /** Closes `conn` with reason `error` and the code (or name) of what went wrong, and says so on stderr. */
  failConnection(conn: ConnectionState, err: unknown): void {
    const e = err as { code?: unknown; name?: unknown; stack?: unknown; message?: unknown };
    const code = typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'Error';
    conn.pendingReason ??= { reason: 'error', code };
    conn.socket.destroy();
    process.emitWarning(`connection ${conn.id} closed after an unexpected error: ${String(e?.stack ?? e?.message ?? err)}`, 'TcpscopeConnectionError');
  }

  /** Replies to one unit (a read, or a framed message) per the reply mode. */
  reply(conn: ConnectionState, bytes: Uint8Array, length: number): void {
    const mode = this.deps.config.get().replyMode;
    const socket = conn.socket;
    if (mode === 'none' || socket.destroyed) return;
    let out: Buffer;
    // Written before it is recorded: the peer gets the reply as soon as a bare echo would send it, and the
    // bookkeeping below runs while the kernel delivers it. The reply's bytes are its own, so order is safe.
    if (mode === 'ack') socket.write((out = ackReply(length)));
    else if (length < POOLED_REPLY_MIN_BYTES && socket.writableLength === 0) {
      // `bytes` may be the shared read buffer: the reply is a copy, into the one scratch buffer of all
      // connections (no allocation per reply). If the kernel could not take it all at once, the pending
      // write holds the scratch, and the next reply on any connection must not overwrite it.
      socket.write((out = this.replyBuffers.scratchCopy(bytes, length)));
      if (socket.writableLength > 0) this.replyBuffers.scratchKept();
    } else {
      const copy = this.replyBuffers.copy(bytes, length);
      socket.write((out = copy.out), copy.done);
    }
    const offset = conn.bytesReplied;
    conn.replies++;
    conn.bytesReplied += out.length;
    this.deps.recorder.chunk('reply', conn, offset, out, out.length);
    if (socket.writableLength > MAX_PENDING_REPLY_BYTES) socket.pause();
  }

  private maybeResume(conn: ConnectionState): void {
    if (!this.deps.config.get().paused && !conn.socket.destroyed) conn.socket.resume();
  }

  private onConfig(next: Config, prev: Config): void {
    if (next.bufferSize !== prev.bufferSize) {
      // One buffer serves every connection: each read is consumed before the next one starts.
      this.readBuf = Buffer.allocUnsafe(next.bufferSize);
      for (const conn of this.deps.registry.openConnections()) swapUserBuffer(conn.socket, this.readBuf);
    }
    if (next.paused !== prev.paused) {
      for (const conn of this.deps.registry.openConnections()) {
        if (next.paused) conn.socket.pause();
        else if (conn.socket.writableLength <= MAX_PENDING_REPLY_BYTES) conn.socket.resume();
      }
    }
  }

  private finish(conn: ConnectionState): void {
    const cause = conn.pendingReason ?? { reason: 'server' as const, code: null };
    recordClose(this.deps, conn, cause);
  }
}
