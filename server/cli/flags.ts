// Command-line flags: parsed with node:util's parseArgs, checked with the same schemas as the API,
// so `--buffer-size 0` is refused with the same words as PATCH /api/config {bufferSize: 0}.
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { BufferSizeSchema, type ReplyMode, ReplyModeSchema } from '../../shared/config.ts';
import { DEFAULT_HOST, DEFAULT_HTTP_PORT, DEFAULT_TCP_PORT, MAX_WATCHES } from '../../shared/limits.ts';
import { parseSecurityFlags, SECURITY_FLAG_OPTIONS, SECURITY_USAGE } from '../security/security-flags.ts';
import type { SecurityInput } from '../security/security-options.ts';

export interface Flags {
  httpPort: number;
  tcpPort: number;
  host: string;
  tcpHost: string;
  bufferSize: number;
  replyMode: ReplyMode;
  /** --token, --allow-host and the limits. */
  security: SecurityInput;
  /** False with --no-capture: no tcpdump, no wire view (socket sampling still runs). */
  capture: boolean;
  /** --watch PORT (repeatable): other local servers to trace. */
  watch: number[];
  help: boolean;
}

export class FlagError extends Error {}

export const USAGE = `Usage: tcpscope [flags]   (from a clone: npm start -- [flags])

  --http-port P     dashboard and API port (default ${DEFAULT_HTTP_PORT}; 0 picks a free one)
  --tcp-port T      TCP echo server port (default ${DEFAULT_TCP_PORT}; 0 picks a free one)
  --host H          address the dashboard and API listen on (default ${DEFAULT_HOST}; any other needs a token)
  --tcp-host H      address the echo server listens on (default ${DEFAULT_HOST}, which also listens on ::1)
  --buffer-size N   the echo server's read buffer, 1..65536 bytes (default 1024)
  --reply MODE      ack (write "Received: N"), echo, or none (default ack)
  --no-capture      run no tcpdump: no segments in the wire view (socket samples stay)
  --watch PORT      trace the reads and writes of the server listening on PORT (repeatable, at most ${MAX_WATCHES})
${SECURITY_USAGE}  --help            this text
`;

const portSchema = z
  .string()
  .regex(/^\d{1,5}$/, { error: 'must be a port number from 0 to 65535' })
  .transform(Number)
  .pipe(z.number().max(65535, { error: 'must be a port number from 0 to 65535' }));
const hostSchema = z.string().refine((h) => isIP(h) !== 0 || h === 'localhost', {
  error: 'must be an IP address (127.0.0.1, ::1, 0.0.0.0) or localhost',
});
const bufferSchema = z
  .string()
  .regex(/^\d{1,6}$/, { error: 'must be an integer from 1 to 65536' })
  .transform(Number)
  .pipe(BufferSizeSchema);

function check<T>(flag: string, schema: z.ZodType<T>, raw: string | undefined, fallback: T): T {
  if (raw === undefined) return fallback;
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw new FlagError(`--${flag} ${JSON.stringify(raw)}: ${result.error.issues[0]?.message ?? 'is not valid'}`);
}

export function parseFlags(argv: string[]): Flags {
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'http-port': { type: 'string' },
        'tcp-port': { type: 'string' },
        host: { type: 'string' },
        'tcp-host': { type: 'string' },
        'buffer-size': { type: 'string' },
        reply: { type: 'string' },
        'no-capture': { type: 'boolean' },
        watch: { type: 'string', multiple: true },
        ...SECURITY_FLAG_OPTIONS,
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new FlagError((err as Error).message);
  }
  const str = (k: string) => values[k] as string | undefined;
  const host = check('host', hostSchema, str('host'), DEFAULT_HOST);
  return {
    httpPort: check('http-port', portSchema, str('http-port'), DEFAULT_HTTP_PORT),
    tcpPort: check('tcp-port', portSchema, str('tcp-port'), DEFAULT_TCP_PORT),
    host,
    tcpHost: check('tcp-host', hostSchema, str('tcp-host'), DEFAULT_HOST),
    bufferSize: check('buffer-size', bufferSchema, str('buffer-size'), 1024),
    replyMode: check('reply', ReplyModeSchema, str('reply'), 'ack'),
    security: parseSecurityFlags(values, (message) => {
      throw new FlagError(message);
    }),
    capture: values['no-capture'] !== true,
    watch: parseWatchFlags((values.watch as string[] | undefined) ?? [], tcpPortOf(values)),
    help: values.help === true,
  };
}

const watchPortSchema = z
  .string()
  .regex(/^\d{1,5}$/, { error: 'must be a port number from 1 to 65535' })
  .transform(Number)
  .pipe(z.number().min(1, { error: 'must be a port number from 1 to 65535' }).max(65535, { error: 'must be a port number from 1 to 65535' }));

function tcpPortOf(values: Record<string, unknown>): number {
  return check('tcp-port', portSchema, values['tcp-port'] as string | undefined, DEFAULT_TCP_PORT);
}

function parseWatchFlags(raw: string[], tcpPort: number): number[] {
  if (raw.length > MAX_WATCHES) throw new FlagError(`--watch: at most ${MAX_WATCHES} servers are watched at once`);
  const ports = raw.map((r) => check('watch', watchPortSchema, r, 0));
  for (const p of ports) if (p === tcpPort) throw new FlagError(`--watch ${p}: is tcpscope's own echo server (--tcp-port)`);
  if (new Set(ports).size !== ports.length) throw new FlagError('--watch: a port is given twice');
  return ports;
}
