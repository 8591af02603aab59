// Idle memory as issue 10 measures it: starts tcpscope, opens one live subscriber (what one open page
// is to the server), and prints the server's resident set size five seconds after the start.
//   node scripts/idle-rss.mjs                       the compiled server (what `npm start` runs)
//   node scripts/idle-rss.mjs --tsx                 the sources through tsx (what `npm start` ran before)
//   node scripts/idle-rss.mjs -- --no-capture ...   flags for tcpscope after `--`
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const dash = args.indexOf('--');
const flags = dash >= 0 ? args.slice(dash + 1) : [];
const useTsx = args.slice(0, dash >= 0 ? dash : undefined).includes('--tsx');
// As npm start runs it: the same Node flags (bin/tcpscope.js says why).
const entry = useTsx ? ['--import', 'tsx', 'server/main.ts'] : ['--max-semi-space-size=2', 'bin/tcpscope.js'];
const SETTLE_MS = 5000;

const started = Date.now();
const child = spawn(process.execPath, [...entry, '--http-port', '0', '--tcp-port', '0', ...flags], {
  cwd: root,
  // As bin/tcpscope.js's shebang and the start script set it.
  env: { ...process.env, GLIBC_TUNABLES: 'glibc.malloc.trim_threshold=131072:glibc.malloc.mmap_threshold=131072:glibc.malloc.arena_max=2' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const deadline = setTimeout(() => fail('no "tcpscope dashboard:" line within 60 s'), 60_000);

function fail(message) {
  process.stderr.write(`idle-rss: ${message}\n`);
  child.kill('SIGTERM');
  process.exit(1);
}

let out = '';
child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk) => {
  out += chunk;
  const m = /tcpscope dashboard: (http:\/\/\S+)/.exec(out);
  if (!m || child.subscribed) return;
  child.subscribed = true;
  clearTimeout(deadline);
  const url = new URL(m[1]);
  const ws = new WebSocket(`ws://${url.host}/ws${url.search}`);
  ws.on('error', (err) => fail(`WebSocket: ${err.message}`));
  ws.once('message', () => {
    setTimeout(() => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
      const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
      console.log(
        `${useTsx ? 'tsx server/main.ts' : 'node bin/tcpscope.js'} ${flags.join(' ')}: ` +
          `RSS ${(kb / 1024).toFixed(1)} MiB = ${((kb * 1024) / 1e6).toFixed(1)} MB ` +
          `(peak so far ${(hwm / 1024).toFixed(1)} MiB) on Node ${process.version}, ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s after start, one live subscriber`,
      );
      ws.close();
      child.kill('SIGTERM');
    }, Math.max(0, started + SETTLE_MS - Date.now()));
  });
});
child.on('exit', (code) => process.exit(code === 0 ? 0 : 1));
