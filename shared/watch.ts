// Watches: tcpscope traces another local TCP server's reads and writes (GET/POST/DELETE /api/watches).
import { z } from 'zod';
import { MAX_WATCHES } from './limits.ts';

export const WATCH_STATES = ['waiting', 'attached', 'unavailable'] as const;
export const WatchStateSchema = z.enum(WATCH_STATES);
export type WatchState = z.infer<typeof WatchStateSchema>;

export const WATCH_MECHANISMS = ['ebpf', 'strace'] as const;
export const WatchMechanismSchema = z.enum(WATCH_MECHANISMS);
export type WatchMechanism = z.infer<typeof WatchMechanismSchema>;

const PORT_MESSAGE = 'must be a port number from 1 to 65535';
export const WatchPortSchema = z
  .number({ error: PORT_MESSAGE })
  .int({ error: PORT_MESSAGE })
  .min(1, { error: PORT_MESSAGE })
  .max(65535, { error: PORT_MESSAGE });

export const WatchSchema = z.object({
  port: WatchPortSchema,
  /** waiting: nothing listens on the port yet; attached: traced; unavailable: `reason` says why and how to fix it. */
  state: WatchStateSchema,
  /** The process listening on the port, once found. */
  pid: z.number().int().positive().nullable(),
  command: z.string().nullable(),
  reason: z.string().nullable(),
  /** When the watch entered its current state (ms since the epoch). */
  since: z.number(),
  via: WatchMechanismSchema.nullable(),
  /** Calls the tracer counted but could not hand over in detail (its output buffer overflowed). */
  eventsLost: z.number().int().nonnegative(),
  /** The measured cost of tracing on this machine (npm run bench): watched ÷ unwatched throughput, if known. */
  slowdown: z.number().nullable(),
});
export type Watch = z.infer<typeof WatchSchema>;

export const WatchRequestSchema = z.strictObject({ port: WatchPortSchema });
export type WatchRequest = z.infer<typeof WatchRequestSchema>;

export const WatchParamsSchema = z.strictObject({
  port: z.string().regex(/^\d{1,5}$/, { error: PORT_MESSAGE }).transform(Number).pipe(WatchPortSchema),
});

export { MAX_WATCHES };
