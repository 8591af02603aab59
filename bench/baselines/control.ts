// What both baseline servers share: flags, listening on a free loopback port, and a control channel
// (Node IPC) through which the bench changes the buffer and reply mode and reads the two counters.
// None of it is on the read path.
import net from 'node:net';
import { parseArgs } from 'node:util';

export type BaselineReply = 'none' | 'echo' | 'ack';
export interface BaselineSettings {
  bufferSize: number;
  reply: BaselineReply;
}
export interface ReadTotals {
  reads: number;
  bytesRead: number;
}

export type ControlRequest = { type: 'config'; bufferSize: number; reply: BaselineReply } | { type: 'stats' };
export type ControlReply = { type: 'ok' } | ({ type: 'stats' } & ReadTotals);

/** Same bound as the tcpscope echo server: a peer that does not read our replies stops being read. */
export const MAX_PENDING_REPLY_BYTES = 1024 * 1024;

export function baselineSettings(argv: string[]): BaselineSettings {
  const { values } = parseArgs({
    args: argv,
    options: { 'buffer-size': { type: 'string', default: '1024' }, reply: { type: 'string', default: 'echo' } },
  });
  return { bufferSize: Number(values['buffer-size']), reply: values.reply as BaselineReply };
}

/** Listens on 127.0.0.1 (port 0), prints `<name> listening on 127.0.0.1:PORT`, answers control requests. */
export function serveBaseline(
  name: string,
  server: net.Server,
  totals: ReadTotals,
  onConfig: (s: BaselineSettings) => void,
): void {
  server.listen({ host: '127.0.0.1', port: 0 }, () => {
    const { port } = server.address() as net.AddressInfo;
    process.stdout.write(`${name} listening on 127.0.0.1:${port}\n`);
  });
  process.on('message', (msg: ControlRequest) => {
    if (msg.type === 'config') {
      onConfig({ bufferSize: msg.bufferSize, reply: msg.reply });
      process.send?.({ type: 'ok' } satisfies ControlReply);
    } else {
      process.send?.({ type: 'stats', reads: totals.reads, bytesRead: totals.bytesRead } satisfies ControlReply);
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
}
