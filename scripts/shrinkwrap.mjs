// `npm pack` ships the lockfile as npm-shrinkwrap.json, so that `npm install -g tcpscope-*.tgz` (or into a
// project) gets the dependency versions `npm test` ran with, rather than whatever is newest that day;
// among them the ones that still support Node 20 (see package.json "overrides"). npm recommends exactly
// this for command-line tools. The file lives only while packing: in the repository the lockfile stays
// package-lock.json.
//   node scripts/shrinkwrap.mjs write    (prepack)
//   node scripts/shrinkwrap.mjs remove   (postpack)
import { copyFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lock = path.join(root, 'package-lock.json');
const shrinkwrap = path.join(root, 'npm-shrinkwrap.json');

const action = process.argv[2];
if (action === 'write') copyFileSync(lock, shrinkwrap);
else if (action === 'remove') rmSync(shrinkwrap, { force: true });
else {
  process.stderr.write('usage: node scripts/shrinkwrap.mjs write|remove\n');
  process.exit(2);
}
