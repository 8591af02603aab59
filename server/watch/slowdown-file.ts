// The measured cost of watching, per mechanism, as the last `npm run bench` left it: watched ÷ unwatched
// throughput of a Go server at buffer 1024, in bench/results/watch-slowdown.json of the tcpscope folder.
// The server reads it once at start and shows it on each watch (`slowdown`); absent or unreadable → none.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { WatchMechanism } from '../../shared/watch.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The tcpscope folder: two up from server/watch/ in the sources, four up from dist/node/server/watch/ when built. */
const ROOT = path.resolve(here, import.meta.url.endsWith('.ts') ? '../..' : '../../../..');
export const SLOWDOWN_FILE = path.join(ROOT, 'bench/results/watch-slowdown.json');

const ratio = z.number().positive().max(10);
export const slowdownFileSchema = z.object({
  measuredAt: z.string(),
  /** Watched ÷ unwatched throughput (1 = no slowdown). */
  ratio: z.object({ ebpf: ratio.optional(), strace: ratio.optional() }),
});
export type SlowdownFile = z.infer<typeof slowdownFileSchema>;

export function readSlowdown(file = SLOWDOWN_FILE): Partial<Record<WatchMechanism, number>> | undefined {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch {
    return undefined; // no bench run here (an installed package has none)
  }
  try {
    return slowdownFileSchema.parse(JSON.parse(raw)).ratio;
  } catch {
    return undefined; // a file from another version: no figure rather than a wrong one
  }
}
