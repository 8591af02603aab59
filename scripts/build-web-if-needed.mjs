// Builds the dashboard into dist/web, but only when a source is newer than the last build: `npm start`
// runs this every time, and an unchanged page should start in milliseconds, not seconds.
// Plain Node ESM so that it runs before anything is compiled.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isStale } from './stale-build.mjs';
import { buildFolders, oneAtATime, swapIn } from './swap-build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = path.join(root, 'dist/web');
const OUTPUT = path.join(OUT_DIR, 'index.html');
const SOURCES = ['web', 'shared', 'vite.config.ts', 'package.json', 'scripts/build-web-if-needed.mjs', 'scripts/swap-build.mjs'];

/** True when dist/web is missing or older than any source of the page. */
export function webBuildIsStale() {
  return isStale(root, OUTPUT, SOURCES);
}

/**
 * Runs `vite build` when needed; resolves to whether it built. The build goes to a folder of its own
 * and is swapped in whole, so that a server (or a second build: test runs start this too) never
 * sees half a page.
 */
export const buildWebIfNeeded = oneAtATime(buildOnce);

async function buildOnce({ quiet = false } = {}) {
  if (!webBuildIsStale()) return false;
  const { build } = await import('vite');
  const folders = buildFolders(root, 'web');
  // Always React's production bundle: Vite builds for whatever NODE_ENV says, and the test runner sets
  // it to "test", which would give the development bundle (several times slower, with checks meant for
  // development) to the browser tests, and to the next `npm start`, which serves the same folder.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: path.join(root, 'vite.config.ts'),
      logLevel: quiet ? 'warn' : 'info',
      build: { outDir: folders.fresh, emptyOutDir: true },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  swapIn(folders, OUT_DIR);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const built = await buildWebIfNeeded();
  if (!built) console.log('dashboard: dist/web is up to date');
}
