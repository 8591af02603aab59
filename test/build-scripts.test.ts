// The build scripts behind `npm start`, the tests and the bench: callers at the same time in one process
// (the bench starts its servers together) share one build, and what is swapped in is a whole page.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildServerIfNeeded, SERVER_MAIN } from '../scripts/build-server-if-needed.mjs';
import { buildWebIfNeeded } from '../scripts/build-web-if-needed.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('build scripts', () => {
  it('share one build between callers at the same time', async () => {
    // Two builds in one process once wrote the same folder, and the page was swapped in without its script.
    const web = [buildWebIfNeeded({ quiet: true }), buildWebIfNeeded({ quiet: true })];
    const server = [buildServerIfNeeded({ quiet: true }), buildServerIfNeeded({ quiet: true })];
    expect(web[0]).toBe(web[1]);
    expect(server[0]).toBe(server[1]);
    await Promise.all([...web, ...server]);
  });

  it('leaves a page whose every script and stylesheet is there, and the server it runs', async () => {
    await Promise.all([buildWebIfNeeded({ quiet: true }), buildServerIfNeeded({ quiet: true })]);
    const html = readFileSync(path.join(root, 'dist/web/index.html'), 'utf8');
    const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    for (const asset of assets) expect(existsSync(path.join(root, 'dist/web', asset)), asset).toBe(true);
    expect(existsSync(SERVER_MAIN)).toBe(true);
  });
});
