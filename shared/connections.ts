// What GET /api/connections returns and what snapshots and batches carry: one row per connection,
// with counters that are exact whatever the live stream had to leave out.
import { z } from 'zod';
import { CloseReasonSchema, ConnectionOriginSchema } from './events.ts';
import { WatchRefSchema } from './watch-ref.ts';

export const ConnectionSchema = z.object({
  id: z.number().int().positive(),
  origin: ConnectionOriginSchema,
  remoteAddress: z.string(),
  remotePort: z.number().int(),
  localAddress: z.string(),
  localPort: z.number().int(),
  state: z.enum(['open', 'closed']),
  openedAt: z.number(),
  closedAt: z.number().nullable(),
  closeReason: CloseReasonSchema.nullable(),
  closeCode: z.string().nullable(),
  /** Reads by the echo server and the bytes they returned. */
  reads: z.number().int().nonnegative(),
  bytesRead: z.number().int().nonnegative(),
  /** Bytes the echo server wrote back. */
  replies: z.number().int().nonnegative(),
  bytesReplied: z.number().int().nonnegative(),
  /** Writes by the built-in client (0 for outside clients, whose writes tcpscope cannot see). */
  writes: z.number().int().nonnegative(),
  bytesWritten: z.number().int().nonnegative(),
  /** Watched connections only: the server traced, read calls that found nothing (EAGAIN), whether it was
   * picked up mid-stream (accepted before the watch began: offsets start at the first call seen), and how
   * many calls the tracer counted but could not describe (their bytes are in the counters, not in events). */
  watch: WatchRefSchema.optional(),
  wouldBlock: z.number().int().nonnegative().optional(),
  midStream: z.boolean().optional(),
  eventsLost: z.number().int().nonnegative().optional(),
  /** Reads, writes and replies past the event detail budget (EVENT_DETAIL_CHUNKS_PER_SEC): in the counters
   * above, with no event of their own. Absent while every one has its event. */
  eventsSummarised: z.number().int().nonnegative().optional(),
});
export type Connection = z.infer<typeof ConnectionSchema>;
