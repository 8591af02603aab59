// Compiles the server to JavaScript in dist/node (dist/node/server, dist/node/shared), but only when a
// source is newer than the last build: `npm start` and the installed `tcpscope` command run that
// JavaScript with plain Node, without a TypeScript loader in the process (less memory, faster start).
// Tests keep running the sources.
//
// Each file reachable from server/main.ts is transpiled on its own with TypeScript's transpileModule:
// the project is written for that already (isolatedModules), it takes about a second where a full tsc
// program takes many, and type errors are `npm run typecheck`'s job, not the start's. The sources
// import '.ts' paths; rewriteRelativeImportExtensions turns them into '.js'.
// Plain Node ESM so that it runs before anything is compiled.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isStale } from './stale-build.mjs';
import { buildFolders, oneAtATime, swapIn } from './swap-build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = path.join(root, 'dist/node');
/** The server, and the capture thread's entry (started by its URL, so no import reaches it). */
const ENTRIES = ['server/main.ts', 'server/capture/capture-worker.ts'];
/** The compiled entry point (what bin/tcpscope.js imports). */
export const SERVER_MAIN = path.join(OUT_DIR, 'server/main.js');
const SOURCES = ['server', 'shared', 'tsconfig.json', 'package.json', 'scripts/build-server-if-needed.mjs', 'scripts/swap-build.mjs'];

/** True when dist/node is missing or older than any source of the server. */
export function serverBuildIsStale() {
  return isStale(root, SERVER_MAIN, SOURCES);
}

/** The project's compiler options as transpileModule wants them, for emitting Node ESM. */
function compilerOptions(ts) {
  const configPath = path.join(root, 'tsconfig.json');
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root);
  return {
    ...parsed.options,
    noEmit: false,
    declaration: false,
    sourceMap: false,
    rewriteRelativeImportExtensions: true,
  };
}

/** The entries and every project file they import, directly or not (relative imports only; packages stay packages). */
function reachableFiles(ts, entries) {
  const seen = new Set();
  const queue = entries.map((entry) => path.join(root, entry));
  while (queue.length > 0) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), fileName);
      if (!target.endsWith('.ts')) throw new Error(`${path.relative(root, file)}: import "${fileName}" must name its .ts file`);
      queue.push(target);
    }
  }
  return [...seen].sort();
}

/**
 * Compiles the server when needed; resolves to whether it built. The output goes to a folder of its own
 * and is swapped in whole, so that a running build never leaves half a server (nor files of deleted
 * sources) in dist/node.
 */
export const buildServerIfNeeded = oneAtATime(buildOnce);

async function buildOnce({ quiet = false } = {}) {
  if (!serverBuildIsStale()) return false;
  const { default: ts } = await import('typescript');
  const options = compilerOptions(ts);
  const folders = buildFolders(root, 'node');
  const { fresh } = folders;
  rmSync(fresh, { recursive: true, force: true });
  const files = reachableFiles(ts, ENTRIES);
  const errors = [];
  for (const file of files) {
    const rel = path.relative(root, file);
    const out = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file, reportDiagnostics: true });
    for (const d of out.diagnostics ?? []) {
      const { line, character } = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
      errors.push(`${rel}:${line + 1}:${character + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    }
    const target = path.join(fresh, rel.replace(/\.ts$/, '.js'));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, out.outputText);
  }
  if (errors.length > 0) {
    rmSync(fresh, { recursive: true, force: true });
    throw new Error(`server build failed:\n${errors.join('\n')}`);
  }
  swapIn(folders, OUT_DIR);
  if (!quiet) console.log(`server: compiled ${files.length} files to ${path.relative(root, OUT_DIR)}`);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const built = await buildServerIfNeeded();
  if (!built) console.log('server: dist/node is up to date');
}
