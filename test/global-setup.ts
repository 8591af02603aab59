// Runs once before all test files: the browser tests load the real built dashboard from dist/web,
// so build it first if any of its sources changed.
import { buildWebIfNeeded } from '../scripts/build-web-if-needed.mjs';

export default async function setup(): Promise<void> {
  await buildWebIfNeeded({ quiet: true });
}
