// The flags for access and limits, checked with the same schemas as everything else. cli/flags.ts
// spreads SECURITY_FLAG_OPTIONS into its parseArgs options and calls parseSecurityFlags.
import { isIP } from 'node:net';
import { z } from 'zod';
import { AccessTokenSchema, type Limits, LimitsSchema } from '../../shared/security.ts';
import { DEFAULT_LIMITS, LIMIT_FLAGS } from './limits.ts';
import type { SecurityInput } from './security-options.ts';
import { tokenStrengthProblem } from './token-strength.ts';

export const SECURITY_FLAG_OPTIONS = {
  token: { type: 'string' },
  'allow-host': { type: 'string', multiple: true },
  'max-connections': { type: 'string' },
  'max-subscribers': { type: 'string' },
  'max-ws-message': { type: 'string' },
  'max-body': { type: 'string' },
  'max-bursts': { type: 'string' },
  'burst-rate': { type: 'string' },
  'max-burst-writes': { type: 'string' },
  'max-burst-bytes': { type: 'string' },
  'max-response-bytes': { type: 'string' },
  'max-framing-bytes': { type: 'string' },
  'max-http-connections': { type: 'string' },
  'header-timeout': { type: 'string' },
} as const;

const d = DEFAULT_LIMITS;
export const SECURITY_USAGE = `  --token T             access token for the API and the WebSocket (default: none on loopback; made
                        up and printed as a ready-to-open URL when --host is not loopback); at least
                        64 bits of estimated entropy: 20 or more random characters
  --allow-host NAME     another host name the dashboard answers to (repeatable; stops DNS rebinding)
  --max-connections N   open echo connections; more are closed at once with reason limit (default ${d.maxConnections})
  --max-subscribers N   live WebSocket subscribers (default ${d.maxSubscribers})
  --max-ws-message B    largest WebSocket message from a page, bytes (default ${d.maxWsMessageBytes})
  --max-body B          largest HTTP request body, bytes (default ${d.maxBodyBytes})
  --max-bursts N        built-in client bursts in flight (default ${d.maxBursts})
  --burst-rate N        bursts started per minute (default ${d.burstRatePerMinute})
  --max-burst-writes N  writes one burst may make, count × pieces (default ${d.maxBurstWrites})
  --max-burst-bytes B   bytes one burst may write, framing included (default ${d.maxBurstBytes})
  --max-response-bytes B  bytes held at once for large answers in flight: events, exports, pcap (default ${d.maxResponseBytes})
  --max-framing-bytes B bytes framing holds for unfinished messages over all connections (default ${d.maxFramingBytes})
  --max-http-connections N  open dashboard connections, WebSockets included (default ${d.maxHttpConnections})
  --header-timeout S    seconds a dashboard request has to send its header (default ${d.headerTimeoutSeconds})
`;

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const AllowHostSchema = z.string().refine((h) => isIP(h) !== 0 || HOSTNAME.test(h), {
  error: 'must be a host name (dashboard.lan) or an IP address',
});

const LIMIT_KEYS = Object.keys(LIMIT_FLAGS) as (keyof Limits)[];

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** Reads the security flags out of parseArgs' values; `fail` turns a bad value into the CLI's error. */
export function parseSecurityFlags(values: Values, fail: (message: string) => never): SecurityInput {
  const bad = (flag: string, raw: string, error: z.ZodError): never =>
    fail(`${flag} ${JSON.stringify(raw)}: ${error.issues[0]?.message ?? 'is not valid'}`);

  let token: string | null = null;
  if (typeof values.token === 'string') {
    const r = AccessTokenSchema.safeParse(values.token);
    token = r.success ? r.data : bad('--token', values.token, r.error);
    const weak = tokenStrengthProblem(token);
    if (weak !== null) fail(`--token ${JSON.stringify(values.token)}: ${weak}`);
  }

  const allowHosts: string[] = [];
  for (const raw of (values['allow-host'] as string[] | undefined) ?? []) {
    const r = AllowHostSchema.safeParse(raw);
    allowHosts.push(r.success ? r.data : bad('--allow-host', raw, r.error));
  }

  const limits: Partial<Limits> = {};
  for (const key of LIMIT_KEYS) {
    const flag = LIMIT_FLAGS[key];
    const raw = values[flag.slice(2)];
    if (typeof raw !== 'string') continue;
    const schema = LimitsSchema.shape[key];
    // Plain decimal digits only: "1e3", "0x10" and " 5" are refused rather than guessed at.
    const r = /^\d{1,12}$/.test(raw) ? schema.safeParse(Number(raw)) : schema.safeParse(Number.NaN);
    limits[key] = r.success ? r.data : bad(flag, raw, r.error);
  }
  return { token, allowHosts, limits };
}
