// POST /api/session/reset: a new session on the server. What it takes (nothing, or `{}`) and what it
// answers, shared by the route and the page.
import { z } from 'zod';

/** No options: an empty object, or no body at all (which Fastify hands over as null). */
export const SessionResetBodySchema = z.strictObject({}).nullish();

export const SessionResetSchema = z.object({
  /** Events the store held and let go of. */
  eventsCleared: z.number().int().nonnegative(),
  /** Closed connections forgotten (with their kept frames). */
  connectionsCleared: z.number().int().nonnegative(),
  /** Open connections kept: they go on, with their counters and stream offsets. */
  connectionsKept: z.number().int().nonnegative(),
  /** The seq of the new session's first event: seqs go on, never back. */
  nextSeq: z.number().int(),
});
export type SessionReset = z.infer<typeof SessionResetSchema>;
