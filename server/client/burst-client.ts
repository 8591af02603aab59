// The built-in client: one connection per burst, `count` writes of the payload. With no interval the
// writes are corked and leave as one segment, so they merge into one read as in the tutorial; with an
// interval they leave apart. It reads every reply, then closes cleanly after the server's last one.
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { BurstRequest } from '../../shared/api.ts';
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
    private readonly deps: { recorder: Recorder; claims: BuiltinClaims; target: () => BurstTarget },
  ) {}

  get bursts(): number {
    return this.inFlight;
  }

  /** Connects and starts writing; resolves with the connection once the echo server has accepted it. */
  async start(req: BurstRequest): Promise<ConnectionState> {
    const { host, port } = this.deps.target();
    const socket = net.connect({ host, port, noDelay: req.noDelay });
    const claim = this.deps.claims.expect(socket);
    this.inFlight++;
    socket.once('close', () => {
      this.inFlight--;
      claim.cancel();
    });
    socket.resume(); // read and discard replies: an unread reply would make our close a reset
    const failed = new Promise<never>((_, reject) => socket.once('error', reject));
    failed.catch(() => {}); // errors after the connection is up are the server side's to report
    const connected = new Promise<void>((resolve) => socket.once('connect', resolve));
    try {
      const [conn] = await Promise.race([Promise.all([claim.accepted, connected]), failed]);
      void this.write(socket, conn, req);
      return conn;
    } catch (err) {
      socket.destroy();
      throw err;
    }
  }

  private async write(socket: net.Socket, conn: ConnectionState, req: BurstRequest): Promise<void> {
    if (req.intervalMs === 0) socket.cork();
    for (let i = 0; i < req.count && !socket.destroyed; i++) {
      if (i > 0 && req.intervalMs > 0) await delay(req.intervalMs);
      if (socket.destroyed) break;
      const bytes = payloadFor(req.payload, i);
      const offset = conn.bytesWritten;
      conn.writes++;
      conn.bytesWritten += bytes.length;
      this.deps.recorder.chunk('write', conn, offset, bytes, bytes.length);
      socket.write(bytes);
    }
    if (req.intervalMs === 0) socket.uncork();
    socket.end();
  }
}
