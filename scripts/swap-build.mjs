// What the two build scripts share: one build at a time in a process (the bench starts servers together,
// and each asks for a build), each in a folder of its own, swapped in whole so that nothing ever serves
// half a build. Plain Node ESM so that it runs before anything is compiled.
import { renameSync, rmSync } from 'node:fs';
import path from 'node:path';

/** `buildOnce`, with callers at the same time sharing the build under way. */
export function oneAtATime(buildOnce) {
  let inFlight = null;
  return (options = {}) => {
    inFlight ??= buildOnce(options).finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
}

let builds = 0;

/** Folders for one build of `name`, named by process and build: two builds writing one folder leave files missing. */
export function buildFolders(root, name) {
  const tag = `${process.pid}-${++builds}`;
  return { fresh: path.join(root, `dist/.${name}-${tag}`), old: path.join(root, `dist/.${name}-old-${tag}`) };
}

/** Puts `fresh` where `outDir` is, whole; the previous build goes by way of `old`. */
export function swapIn({ fresh, old }, outDir) {
  try {
    renameSync(outDir, old);
  } catch {
    // No previous build.
  }
  try {
    renameSync(fresh, outDir);
  } catch {
    // A build in another process swapped its output in first; it was built from the same sources.
    rmSync(fresh, { recursive: true, force: true });
  }
  rmSync(old, { recursive: true, force: true });
}
