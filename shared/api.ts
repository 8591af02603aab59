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

export const BurstRequestSchema = z.strictObject({
  count: intIn(BURST_COUNT_MIN, BURST_COUNT_MAX).default(BURST_COUNT_DEFAULT),
  payload: z
    .string({ error: 'must be a string' })
    .refine((s) => Buffer.byteLength(s, 'utf8') <= BURST_PAYLOAD_MAX_BYTES, {
      error: `must be at most ${BURST_PAYLOAD_MAX_BYTES} bytes of UTF-8`,
    })
    .default(BURST_PAYLOAD_DEFAULT),
  intervalMs: intIn(BURST_INTERVAL_MS_MIN, BURST_INTERVAL_MS_MAX).default(BURST_INTERVAL_MS_DEFAULT),
  noDelay: z.boolean({ error: 'must be true or false' }).default(true),
});
export type BurstRequest = z.infer<typeof BurstRequestSchema>;
export type BurstRequestInput = z.input<typeof BurstRequestSchema>;

export const BurstAcceptedSchema = z.object({ connId: z.number().int().positive() });
export type BurstAccepted = z.infer<typeof BurstAcceptedSchema>;

export const EventsQuerySchema = z.strictObject({
  kind: z.enum(EVENT_KINDS as [string, ...string[]], { error: `must be one of ${EVENT_KINDS.join(', ')}` }).optional(),
  connId: queryInt(0, 2 ** 31).optional(),
  limit: queryInt(EVENTS_QUERY_LIMIT_MIN, EVENTS_QUERY_LIMIT_MAX).default(EVENTS_QUERY_LIMIT_DEFAULT),
});
export type EventsQuery = z.infer<typeof EventsQuerySchema>;

/** Every error the API answers has this body; `message` names the field and what it allows. */
export const ApiErrorSchema = z.object({ statusCode: z.number(), error: z.string(), message: z.string() });
export type ApiError = z.infer<typeof ApiErrorSchema>;
