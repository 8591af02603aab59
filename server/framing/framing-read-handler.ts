// Framing on the echo server: what happens to a read once it is recorded. Under raw framing every read is
// answered on its own and this module adds nothing to the read path: the echo server runs a handler that
// only replies. Once a framing is set, each connection gets a ConnectionFramer (in `conn.ext`), every
// complete message becomes a `message` event answered on its own, and a peer that breaks the framing's
// rule gets an `error` event and is closed with reason `protocol`. Other connections never notice.
import type { Framing } from '../../shared/config.ts';
import { encodeMessage } from '../../shared/framing-encode.ts';
import { EVENT_HEX_MAX_BYTES } from '../../shared/limits.ts';
import type { ConfigStore } from '../config/config-store.ts';
import type { ConnectionState } from '../echo/connection-state.ts';
import type { EchoServer, ReadHandler } from '../echo/echo-server.ts';
import { nowMs } from '../events/clock.ts';
import type { Recorder } from '../events/recorder.ts';
import { ConnectionFramer, sameFraming } from './connection-framer.ts';
import type { FramingViolation } from './frame-decoder.ts';

const FRAMER_KEY = 'framing';
/** The close `code` of a connection closed because framing over all connections would pass its cap. */
export const FRAMING_BYTES_CLOSE_CODE = 'framing-bytes';

export interface FramingReadHandlerDeps {
  echo: EchoServer;
  config: ConfigStore;
  recorder: Recorder;
  /** Bytes framing may hold over all connections (--max-framing-bytes); none when absent. */
  maxTotalBytes?: number;
}

/** The framer of a connection, if it has one (none while the connection reads raw). */
export function framerOf(conn: ConnectionState): ConnectionFramer | undefined {
  return conn.ext.get(FRAMER_KEY) as ConnectionFramer | undefined;
}

export class FramingReadHandler implements ReadHandler {
  /** Connections with a framer: open ones framed now, or still finishing a frame of a framing just left. */
  private readonly framed = new Set<ConnectionState>();
  /** The connection and framer whose read is being decoded: lets `onMessage` be one bound function, no closure per read. */
  private conn: ConnectionState | null = null;
  private framer: ConnectionFramer | null = null;
  /** Bytes each framed connection holds for its unfinished message, as last counted, and their sum. */
  private readonly heldBy = new Map<ConnectionState, number>();
  private heldTotal = 0;

  constructor(private readonly deps: FramingReadHandlerDeps) {
    deps.config.onChange((next, prev) => {
      if (!sameFraming(next.framing, prev.framing)) this.onFramingChange(next.framing);
    });
    this.install();
  }

  /** Runs only while some connection is framed (see install); raw connections among them are answered per read. */
  onRead(conn: ConnectionState, bytes: Buffer, length: number, readSeq: number): void {
    let framer = framerOf(conn);
    if (framer === undefined) {
      const framing = this.deps.config.get().framing;
      if (framing.mode === 'raw') {
        this.deps.echo.reply(conn, bytes, length);
        return;
      }
      // A connection that read raw so far sits at a boundary: the framing applies from this read's first byte.
      framer = this.attach(conn, framing, conn.bytesRead - length);
    }
    const end = conn.bytesRead;
    this.conn = conn;
    this.framer = framer;
    const violation = framer.push(bytes.subarray(0, length), readSeq, this.onMessage);
    this.conn = null;
    this.framer = null;
    if (violation !== null) {
      this.fail(conn, violation);
      return;
    }
    // Only a read that leaves a message unfinished changes what is held; the cap covers all connections, and
    // the one whose read would pass it is the one closed (its bytes are freed with it).
    const held = framer.held();
    const before = this.heldBy.get(conn) ?? 0;
    if (held !== before) {
      this.heldBy.set(conn, held);
      this.heldTotal += held - before;
      if (this.heldTotal > (this.deps.maxTotalBytes ?? Infinity)) {
        this.heldTotal -= held; // freed with the connection, so that the next read elsewhere is judged without it
        this.heldBy.delete(conn);
        this.deps.echo.closeConnection(conn, 'limit', FRAMING_BYTES_CLOSE_CODE);
        return;
      }
    }
    if (framer.framing.mode === 'raw') {
      // The frame in progress completed and the switch to raw took effect inside this read: the rest of the
      // read stands alone, as every raw read does.
      const tail = end - framer.activeSince;
      if (tail > 0) this.deps.echo.reply(conn, bytes.subarray(length - tail, length), tail);
      this.detach(conn);
    }
  }

  /** One complete message: record it, then answer it as the reply mode says. `msg` is valid only during the call. */
  private readonly onMessage = (msg: Uint8Array, firstReadSeq: number, lastReadSeq: number, offset: number): void => {
    const conn = this.conn!;
    const keep = msg.length < EVENT_HEX_MAX_BYTES ? msg.length : EVENT_HEX_MAX_BYTES;
    const bytes = Buffer.allocUnsafe(keep);
    bytes.set(msg.subarray(0, keep));
    this.deps.recorder.record(
      { kind: 'message', t: nowMs(), connId: conn.id, offset, length: msg.length, bytes, truncated: keep < msg.length, firstReadSeq, lastReadSeq },
      conn,
    );
    const mode = this.deps.config.get().replyMode;
    if (mode === 'ack') this.deps.echo.reply(conn, msg, msg.length);
    else if (mode === 'echo') {
      // Echo in the framing the message arrived in, so that the peer can cut the replies the same way.
      const frame = encodeMessage(msg, this.framer!.framing);
      this.deps.echo.reply(conn, frame, frame.length);
    }
  };

  private fail(conn: ConnectionState, violation: FramingViolation): void {
    if (conn.socket.destroyed) return;
    this.deps.recorder.record({ kind: 'error', t: nowMs(), connId: conn.id, rule: violation.rule, message: violation.message }, conn);
    this.deps.echo.closeConnection(conn, 'protocol');
  }

  private attach(conn: ConnectionState, framing: Framing, startOffset: number): ConnectionFramer {
    const framer = new ConnectionFramer(framing, startOffset);
    conn.ext.set(FRAMER_KEY, framer);
    this.framed.add(conn);
    conn.socket.once('close', () => this.detach(conn));
    return framer;
  }

  /** Bytes held by framing over all connections now. */
  get heldBytes(): number {
    return this.heldTotal;
  }

  private detach(conn: ConnectionState): void {
    this.heldTotal -= this.heldBy.get(conn) ?? 0;
    this.heldBy.delete(conn);
    conn.ext.delete(FRAMER_KEY);
    if (this.framed.delete(conn)) this.install();
  }

  /** Each framed connection switches at its next message boundary; raw ones pick the framing up at their next read. */
  private onFramingChange(next: Framing): void {
    for (const conn of [...this.framed]) {
      const framer = framerOf(conn)!;
      framer.setFraming(next);
      if (framer.framing.mode === 'raw') this.detach(conn);
    }
    this.install();
  }

  /** The framing handler only while something is framed; otherwise the plain per-read reply, nothing more. */
  private install(): void {
    const framing = this.deps.config.get().framing;
    this.deps.echo.setReadHandler(framing.mode === 'raw' && this.framed.size === 0 ? this.deps.echo.perReadHandler : this);
  }
}
