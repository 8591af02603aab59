// The built-in client: one connection per burst, `count` writes of the payload. With no interval the
// writes are corked and leave as one segment, so they merge into one read as in the tutorial; with an
// interval they leave apart. It reads every reply, then closes cleanly after the server's last one, unless
// asked to leave the replies unread. Each message can be framed and cut into pieces (see write()).
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { BurstRequest } from '../../shared/api.ts';
import { createSplitter } from '../../shared/chaos-split.ts';
import type { Framing } from '../../shared/config.ts';
import { encodeMessage, lengthPrefixCapacity } from '../../shared/framing-encode.ts';
import type { ConnectionState } from '../echo/connection-state.ts';
import type { Recorder } from '../events/recorder.ts';
import type { BuiltinClaims } from './builtin-claims.ts';

export interface BurstTarget {
  host: string;
  port: number;
}

/** The bytes of write `index` (0-based): `{n}` becomes its 1-based number. */
export function payloadFor(template: string, index: number): Buffer {
  return Buffer.from(template.replaceAll('{n}', String(index + 1)), 'utf8');
}

export class BurstClient {
  private inFlight = 0;

  constructor(
    private readonly deps: {
      recorder: Recorder;
      claims: BuiltinClaims;
      target: () => BurstTarget;
      /** The echo server's framing, for bursts that ask for `framing: {mode: 'server'}`. */
      serverFraming?: () => Framing;
      /** For a burst to a watched server's port: the connection its writes are recorded on (server/watch/). */
      watched?: { has(port: number): boolean; adopt(socket: net.Socket, port: number): ConnectionState };
    },
  ) {}

  get bursts(): number {
    return this.inFlight;
  }

  /** Connects and starts writing; resolves with the connection once the echo server has accepted it. */
  async start(req: BurstRequest): Promise<ConnectionState> {
    const framing = req.framing.mode === 'server' ? (this.deps.serverFraming?.() ?? { mode: 'raw' as const }) : req.framing;
    checkPrefixCapacity(req, framing);
    const target = this.deps.target();
    const watched = req.port !== undefined && req.port !== target.port && this.deps.watched?.has(req.port) ? this.deps.watched : null;
    if (req.port !== undefined && req.port !== target.port && !watched) {
      throw Object.assign(new Error(`body.port: ${req.port} is neither the echo server's port (${target.port}) nor a watched one`), { statusCode: 400 });
    }
    const { host, port } = watched ? { host: '127.0.0.1', port: req.port! } : target;
    const socket = net.connect({ host, port, noDelay: req.noDelay });
    // Paused before connect, so that nothing reads until we decide to: replies left unread stay in the kernel.
    socket.pause();
    // The echo server tells its accept; a watched server's connection is registered here, at connect.
    const claim = watched
      ? (() => {
          const accepted = new Promise<ConnectionState>((resolve, reject) =>
            socket.once('connect', () => {
              try {
                resolve(watched.adopt(socket, port));
              } catch (err) {
                reject(err);
              }
            }),
          );
          return { accepted, cancel: () => {} };
        })()
      : this.deps.claims.expect(socket);
    this.inFlight++;
    socket.once('close', () => {
      this.inFlight--;
      claim.cancel();
    });
    if (!req.leaveRepliesUnread) socket.resume(); // read and discard replies: an unread reply would make our close a reset
    const failed = new Promise<never>((_, reject) => socket.once('error', reject));
    failed.catch(() => {}); // errors after the connection is up are the server side's to report
    const connected = new Promise<void>((resolve) => socket.once('connect', resolve));
    try {
      const [conn] = await Promise.race([Promise.all([claim.accepted, connected]), failed]);
      void this.write(socket, conn, req, framing);
      return conn;
    } catch (err) {
      socket.destroy();
      throw err;
    }
  }

  /**
   * Each message is framed, then cut into pieces, each one write. With no interval and no gap the writes are
   * corked and leave together; otherwise `intervalMs` separates messages and `chunkGapMs` the pieces.
   */
  private async write(socket: net.Socket, conn: ConnectionState, req: BurstRequest, framing: Framing): Promise<void> {
    const corked = req.intervalMs === 0 && req.chunkGapMs === 0;
    if (corked) socket.cork();
    const split = createSplitter(req.split);
    let written = 0;
    for (let i = 0; i < req.count && !socket.destroyed; i++) {
      if (i > 0 && req.intervalMs > 0) await delay(req.intervalMs);
      const frame = encodeMessage(payloadFor(req.payload, i), framing);
      const pieces = frame.length === 0 ? [frame] : split(frame);
      for (let k = 0; k < pieces.length; k++) {
        const gapped = written > 0 && req.chunkGapMs > 0 && !(k === 0 && req.intervalMs > 0);
        if (gapped) await delay(req.chunkGapMs);
        if (socket.destroyed) break;
        const piece = pieces[k]!;
        const offset = conn.bytesWritten;
        conn.writes++;
        conn.bytesWritten += piece.length;
        this.deps.recorder.chunk('write', conn, offset, piece, piece.length);
        written++;
        // Backpressure: past the socket's high-water mark, wait until the kernel took the bytes. A corked
        // socket never drains, so it is uncorked for the wait and corked again after: small bursts still
        // leave together, and a large one holds at most one high-water mark in memory and never freezes the API.
        if (!socket.write(piece) && !socket.destroyed) {
          if (corked) socket.uncork();
          await drained(socket);
          if (corked) socket.cork();
        }
      }
    }
    if (corked) socket.uncork();
    if (req.leaveRepliesUnread) this.closeWithRepliesUnread(socket, conn);
    else socket.end();
  }

  /**
   * Waits until the echo server has read every byte written (its replies to them are written in the same
   * turn), then closes without reading: the replies in our receive queue make the kernel send a reset.
   */
  private closeWithRepliesUnread(socket: net.Socket, conn: ConnectionState): void {
    const caughtUp = () => conn.bytesRead >= conn.bytesWritten || conn.state === 'closed';
    const close = () => void setImmediate(() => socket.destroy());
    if (caughtUp()) return close();
    // Any event of this connection may be the one that catches up: its reads (every one counted, summarised
    // or not, told cheaply with no object) or its close.
    const check = (connId: number) => {
      if (connId !== conn.id || !caughtUp()) return;
      stopChunks();
      stopOthers();
      close();
    };
    const stopChunks = this.deps.recorder.onCount((c) => check(c.id));
    const stopOthers = this.deps.recorder.subscribe((e) => check(e.connId), { chunks: false });
    socket.once('close', () => {
      stopChunks();
      stopOthers();
    });
  }
}

/** Resolves once `socket` has drained, or closed (then the loop sees it destroyed and stops). */
function drained(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

/** A length prefix too short for a message is the request's fault: refuse it before connecting. */
function checkPrefixCapacity(req: BurstRequest, framing: Framing): void {
  if (framing.mode !== 'length-prefix') return;
  const cap = lengthPrefixCapacity(framing.prefixBytes);
  for (const i of new Set([0, req.count - 1])) {
    const n = payloadFor(req.payload, i).length;
    if (n > cap) {
      const err = new Error(`body.payload: a ${framing.prefixBytes}-byte length prefix holds at most ${cap} bytes; write ${i + 1} has ${n}`);
      throw Object.assign(err, { statusCode: 400 });
    }
  }
}
