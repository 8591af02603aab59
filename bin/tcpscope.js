#!/usr/bin/env -S GLIBC_TUNABLES=glibc.malloc.trim_threshold=131072:glibc.malloc.mmap_threshold=131072:glibc.malloc.arena_max=2 node --max-semi-space-size=2
// The `tcpscope` command (`npm start` runs it too): the compiled server in dist/node, run by plain Node.
// --max-semi-space-size=2 (MiB; package.json's start script and the bench pass the same): V8's young
// generation otherwise grows to 32 MiB and keeps it, a third of an idle tcpscope's RSS, for a server
// whose per-read path allocates almost nothing. Measured: heap 60 → 43 MB after a 1 GiB flood (at 4 MiB);
// 2 MiB since the capture runs on a thread of its own, whose heap is sized by the same flag: idle RSS
// 87 → 82 MB, and no change measured in the throughput rows.
// GLIBC_TUNABLES (the same in the start script and the bench): memory freed after a flood goes back to the
// system (trim above 128 KiB free at the top of the heap; blocks of 128 KiB and more are mapped, not
// carved from the heap) instead of staying in malloc's arenas. Measured: RSS after a 1 GiB flood with
// capture on 160 → 131 MB. arena_max=2: the capture thread would otherwise get a malloc arena of its own
// beside the main thread's and the helpers' (idle RSS 88 → 84 MB). glibc reads it at start; other C
// libraries ignore it.
// The version check comes first, in syntax any Node parses, so an old Node gets a sentence, not a stack.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19) || (major === 22 && minor < 12) || major === 21) {
  process.stderr.write(`tcpscope: needs Node.js 20.19+ or 22.12+ (this is ${process.version})\n`);
  process.exit(1);
}
try {
  await import('../dist/node/server/main.js');
} catch (err) {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/node/server/main.js')) {
    process.stderr.write('tcpscope: the server is not built yet: run `npm run build` (or `npm start`) in the tcpscope folder\n');
    process.exit(1);
  }
  throw err;
}
