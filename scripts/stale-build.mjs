// When a build is stale: its output is missing or older than any of its sources. Shared by the page's and
// the server's build-if-needed scripts. Plain Node ESM so that it runs before anything is compiled.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Newest modification time among files under `p` (a file or a folder), or 0 if it is missing. */
function newestMtime(p) {
  let st;
  try {
    st = statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(p)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

/** True when `output` is missing or older than any of `sources` (paths relative to `root`). */
export function isStale(root, output, sources) {
  let built;
  try {
    built = statSync(output).mtimeMs;
  } catch {
    return true;
  }
  return sources.some((s) => newestMtime(path.join(root, s)) > built);
}
