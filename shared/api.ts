// Request shapes of the HTTP API. Each schema is the route's validation and the client's type.
import { z } from 'zod';
import {
  BURST_COUNT_DEFAULT,
  BURST_COUNT_MAX,
  BURST_COUNT_MIN,
  BURST_INTERVAL_MS_DEFAULT,
  BURST_INTERVAL_MS_MAX,
  BURST_INTERVAL_MS_MIN,
  BURST_PAYLOAD_DEFAULT,
  BURST_PAYLOAD_MAX_BYTES,
  EVENTS_QUERY_LIMIT_DEFAULT,
  EVENTS_QUERY_LIMIT_MAX,
  EVENTS_QUERY_LIMIT_MIN,
} from './limits.ts';
import { EVENT_KINDS } from './events.ts';
import { FramingSchema } from './config.ts';
import { SplitSchema } from './chaos-split.ts';
import { connIdQuery } from './conn-id.ts';

const utf8 = new TextEncoder();
/** Byte length as UTF-8, in Node and in the page alike. */
const utf8Length = (s: string) => utf8.encode(s).length;

const intIn = (min: number, max: number) =>
  z
    .number({ error: `must be an integer from ${min} to ${max}` })
    .int({ error: `must be an integer from ${min} to ${max}` })
    .min(min, { error: `must be an integer from ${min} to ${max}` })
    .max(max, { error: `must be an integer from ${min} to ${max}` });

/** Query strings arrive as text: accept only plain decimal integers, then range-check. */
const queryInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, { error: `must be an integer from ${min} to ${max}` })
    .transform(Number)
    .pipe(intIn(min, max));

/** A framing, or `server`: whatever the echo server is set to when the burst starts. */
export const BurstFramingSchema = z.discriminatedUnion('mode', [z.strictObject({ mode: z.literal('server') }), ...FramingSchema.options], {
  error: 'mode must be one of server, raw, delimiter, fixed, length-prefix',
});
export type BurstFraming = z.infer<typeof BurstFramingSchema>;

export const BurstRequestSchema = z.strictObject({
  count: intIn(BURST_COUNT_MIN, BURST_COUNT_MAX).default(BURST_COUNT_DEFAULT),
  payload: z
    .string({ error: 'must be a string' })
    .refine((s) => utf8Length(s) <= BURST_PAYLOAD_MAX_BYTES, {
      error: `must be at most ${BURST_PAYLOAD_MAX_BYTES} bytes of UTF-8`,
    })
    .default(BURST_PAYLOAD_DEFAULT),
  intervalMs: intIn(BURST_INTERVAL_MS_MIN, BURST_INTERVAL_MS_MAX).default(BURST_INTERVAL_MS_DEFAULT),
  noDelay: z.boolean({ error: 'must be true or false' }).default(true),
  /** How each write is framed: `raw` sends the payload as is; `server` follows the echo server's framing; any other framing is sent as given, matching the server's or not. */
  framing: BurstFramingSchema.default({ mode: 'raw' }),
  /** Cuts each framed message into pieces, each its own write: fixed sizes, or seeded random ones ("chaos"). */
  split: SplitSchema.default({ mode: 'none' }),
  /** Pause between two pieces of a message (and between messages when `intervalMs` is 0). */
  chunkGapMs: intIn(BURST_INTERVAL_MS_MIN, BURST_INTERVAL_MS_MAX).default(0),
  /** Close without reading the server's replies: unread bytes make the kernel answer the close with a reset. */
  leaveRepliesUnread: z.boolean({ error: 'must be true or false' }).default(false),
  /** Where to send: the echo server's port (the default) or a watched server's (GET /api/watches). */
  port: intIn(1, 65535).optional(),
});
export type BurstRequest = z.infer<typeof BurstRequestSchema>;
export type BurstRequestInput = z.input<typeof BurstRequestSchema>;

export const BurstAcceptedSchema = z.object({ connId: z.number().int().positive() });
export type BurstAccepted = z.infer<typeof BurstAcceptedSchema>;

export const EventsQuerySchema = z.strictObject({
  kind: z.enum(EVENT_KINDS as [string, ...string[]], { error: `must be one of ${EVENT_KINDS.join(', ')}` }).optional(),
  connId: connIdQuery(0).optional(),
  limit: queryInt(EVENTS_QUERY_LIMIT_MIN, EVENTS_QUERY_LIMIT_MAX).default(EVENTS_QUERY_LIMIT_DEFAULT),
});
export type EventsQuery = z.infer<typeof EventsQuerySchema>;

/** Every error the API answers has this body; `message` names the field and what it allows. */
export const ApiErrorSchema = z.object({ statusCode: z.number(), error: z.string(), message: z.string() });
export type ApiError = z.infer<typeof ApiErrorSchema>;
