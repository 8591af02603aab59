// Access and limits: the access token's shape, the limits in force, and GET /api/limits, which shows
// them with how often each has refused something since the server started — a refusal is counted,
// never a silent loss.
import { z } from 'zod';

/** URL- and cookie-safe, long enough not to be guessed: it travels in `/?token=…` and in a cookie. */
export const ACCESS_TOKEN_MIN_CHARS = 16;
export const ACCESS_TOKEN_MAX_CHARS = 256;
export const AccessTokenSchema = z
  .string()
  .regex(new RegExp(`^[A-Za-z0-9._~-]{${ACCESS_TOKEN_MIN_CHARS},${ACCESS_TOKEN_MAX_CHARS}}$`), {
    error: `must be ${ACCESS_TOKEN_MIN_CHARS} to ${ACCESS_TOKEN_MAX_CHARS} characters of A-Z a-z 0-9 . _ ~ -`,
  });

const intIn = (min: number, max: number) =>
  z
    .number({ error: `must be an integer from ${min} to ${max}` })
    .int({ error: `must be an integer from ${min} to ${max}` })
    .min(min, { error: `must be an integer from ${min} to ${max}` })
    .max(max, { error: `must be an integer from ${min} to ${max}` });

export const LimitsSchema = z.strictObject({
  maxConnections: intIn(1, 1_000_000),
  maxSubscribers: intIn(1, 10_000),
  maxWsMessageBytes: intIn(128, 16 * 1024 * 1024),
  maxBodyBytes: intIn(1024, 64 * 1024 * 1024),
  maxBursts: intIn(1, 10_000),
  burstRatePerMinute: intIn(1, 1_000_000),
  maxBurstWrites: intIn(1, 100_000_000),
  maxBurstBytes: intIn(1024, 16 * 1024 * 1024 * 1024),
  maxResponseBytes: intIn(1024 * 1024, 16 * 1024 * 1024 * 1024),
  maxFramingBytes: intIn(65536, 16 * 1024 * 1024 * 1024),
  maxHttpConnections: intIn(2, 1_000_000),
  headerTimeoutSeconds: intIn(1, 3600),
});
export type Limits = z.infer<typeof LimitsSchema>;

const count = z.number().int().nonnegative();

/** One counter per limit: connections closed, upgrades refused, messages and bodies too large, bursts refused. */
export const RefusalsSchema = z.strictObject({
  connections: count,
  subscribers: count,
  wsMessage: count,
  body: count,
  bursts: count,
  burstRate: count,
  /** Bursts whose writes or bytes passed --max-burst-writes / --max-burst-bytes. */
  burstCost: count,
  /** Large answers refused while --max-response-bytes were held by others. */
  responseBytes: count,
  /** Connections closed because framing over all connections would hold more than --max-framing-bytes. */
  framingBytes: count,
  /** Dashboard connections closed at once past --max-http-connections. */
  httpConnections: count,
  /** Answers (snapshots, pongs, errors) not sent to a live subscriber that reads nothing, and resyncs coalesced. */
  wsUnread: count,
});
export type Refusals = z.infer<typeof RefusalsSchema>;
export type LimitName = keyof Refusals;

export const LimitStatusSchema = z.strictObject({
  limits: LimitsSchema,
  refused: RefusalsSchema,
  /** Whether the API and the live stream need the access token. */
  tokenRequired: z.boolean(),
});
export type LimitStatus = z.infer<typeof LimitStatusSchema>;
