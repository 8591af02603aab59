// Which watched server a connection belongs to. Apart from shared/watch.ts so that events.ts can
// import it without importing the whole watch API.
import { z } from 'zod';

export const WatchRefSchema = z.object({
  port: z.number().int().min(1).max(65535),
  pid: z.number().int().positive(),
  command: z.string(),
});
export type WatchRef = z.infer<typeof WatchRefSchema>;
