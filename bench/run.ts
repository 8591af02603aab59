// `npm run bench`: tcpscope against two baselines, each in its own process, on loopback; prints the
// tables and writes docs/benchmarks.md and bench/results/latest.json.
//
//   --quick          a smoke run in well under 30 s (figures mean little)
//   --out DIR        write benchmarks.md and latest.json into DIR instead
//   --only a,b       run only these scenarios: throughput, latency, scale, fanout, write-to-ws, flood, memory, page, watch
//   --profile        write V8 CPU profiles (node --cpu-prof) of every tcpscope the run starts (the shared
//                    ones, the floods, the four peers) and print each one's top functions by self time
//   --profile-dir D  where the profiles go (default bench/results/profile)
//   --node-loadgen   use the Node load generator even when `cc` is there
//   --buffers 7,1024 / --replies ack,none   throughput at these buffers and replies only
//   --separate-sessions  each server, baseline and bare tcpdump in a session (a scheduler autogroup) of its
//                    own, as if started from separate terminals; by default all share the bench's session
//                    (servers.ts, `arrangement`, says why it matters)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LIVE_BATCH_INTERVAL_MS } from '../shared/limits.ts';
import { startWatchers } from './clients/watchers-process.ts';
import { type BenchContext, sleep } from './context.ts';
import { prepareLoadgen } from './loadgen/loadgen-runner.ts';
import { describeMachine } from './machine.ts';
import { countSteps, makePlan } from './plan.ts';
import { Progress } from './progress.ts';
import { figuresSection, updatedDoc } from './report/doc.ts';
import { buildTables, renderMarkdown, renderText } from './report/tables.ts';
import type { BenchResults } from './results.ts';
import { runFanout } from './scenarios/fanout.ts';
import { runFloods } from './scenarios/flood.ts';
import { runLatency } from './scenarios/latency.ts';
import { runMemory } from './scenarios/memory.ts';
import { runPage } from './scenarios/page.ts';
import { renderProfile, summarizeProfiles } from './profile-summary.ts';
import { runScale } from './scenarios/scale.ts';
import { runThroughput } from './scenarios/throughput.ts';
import { runWriteToWs } from './scenarios/write-to-ws.ts';
import { runWatchBench } from './scenarios/watch.ts';
import { watchTable } from './scenarios/watch-report.ts';
import { arrangement, ROOT, startBaselineProcess, startTcpscopeProcess } from './servers.ts';

const SCENARIOS = ['throughput', 'latency', 'scale', 'fanout', 'write-to-ws', 'flood', 'memory', 'page', 'watch'] as const;

const { values: flags } = parseArgs({
  args: process.argv.slice(2),
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    'profile-dir': { type: 'string' },
    'node-loadgen': { type: 'boolean', default: false },
    buffers: { type: 'string' },
    replies: { type: 'string' },
    'separate-sessions': { type: 'boolean', default: false },
  },
});

if (flags['separate-sessions']) arrangement.sessions = 'separate';
const only = flags.only ? new Set(flags.only.split(',').map((s) => s.trim())) : null;
for (const s of only ?? []) {
  if (!(SCENARIOS as readonly string[]).includes(s)) {
    process.stderr.write(`bench: unknown scenario ${JSON.stringify(s)}; one of ${SCENARIOS.join(', ')}\n`);
    process.exit(2);
  }
}
const on = (s: (typeof SCENARIOS)[number]) => only === null || only.has(s);

process.on('SIGINT', () => process.exit(130)); // the exit handler in servers.ts ends every child

const plan = makePlan(flags.quick);
// --buffers 7,1024 and --replies ack: a narrower throughput run, to iterate on one case.
if (flags.buffers) plan.throughput.buffers = flags.buffers.split(',').map(Number);
if (flags.replies) plan.throughput.replies = flags.replies.split(',') as typeof plan.throughput.replies;
const started = Date.now();
const machine = describeMachine();
const workDir = mkdtempSync(path.join(os.tmpdir(), 'tcpscope-bench-'));
const cpuProfDir = flags.profile || flags['profile-dir'] ? path.resolve(flags['profile-dir'] ?? path.join(ROOT, 'bench/results/profile')) : undefined;
if (cpuProfDir) {
  rmSync(cpuProfDir, { recursive: true, force: true });
  mkdirSync(cpuProfDir, { recursive: true });
}

const steps = countSteps(plan, only);
const progress = new Progress(Object.values(steps).reduce((a, b) => a + b, 0));
progress.step('setup', 'compiling the load generator, starting servers');
const lg = await prepareLoadgen(workDir, flags['node-loadgen']);
const [tcpscope, nocapture, onread, onreadcap, plain] = await Promise.all([
  startTcpscopeProcess({ bufferSize: 1024, reply: 'none', cpuProfDir: cpuProfDir && path.join(cpuProfDir, 'shared-tcpscope') }),
  startTcpscopeProcess({ bufferSize: 1024, reply: 'none', cpuProfDir: cpuProfDir && path.join(cpuProfDir, 'shared-nocapture') }, 'nocapture'),
  startBaselineProcess('onread', 1024, 'none'),
  startBaselineProcess('onreadcap', 1024, 'none'),
  startBaselineProcess('plain', 1024, 'none'),
]);
const watchers = { tcpscope: await startWatchers(tcpscope.httpUrl!), nocapture: await startWatchers(nocapture.httpUrl!) };
await Promise.all([watchers.tcpscope.set(1), watchers.nocapture.set(1)]);
await sleep(500); // tcpdump starting
const servers = { tcpscope, nocapture, onread, onreadcap, plain };

const ctx: BenchContext = { plan, lg, servers, watchers, progress, workDir, cpuProfDir };
const results: BenchResults = {
  quick: plan.quick,
  machine,
  loadgen: { impl: lg.impl, note: lg.note },
  sessions: arrangement.sessions,
  capture: await tcpscope.capture(),
  durationSec: 0,
};
try {
  if (on('throughput')) results.throughput = await runThroughput(ctx);
  if (on('latency')) results.latency = await runLatency(ctx);
  if (on('scale')) results.scale = await runScale(ctx);
  if (on('fanout')) results.fanout = await runFanout(ctx);
  if (on('write-to-ws')) results.writeToWs = await runWriteToWs(ctx, LIVE_BATCH_INTERVAL_MS);
  await Promise.all([watchers.tcpscope.stop(), watchers.nocapture.stop()]);
  await Promise.all(Object.values(servers).map((s) => s.stop()));
  if (on('flood')) results.flood = await runFloods(ctx);
  if (on('memory')) results.memory = await runMemory(ctx);
  if (on('page')) results.page = await runPage(ctx);
  // The cost of watching a server of one's own (eBPF, strace); its ratios are what tcpscope shows on each watch.
  if (on('watch')) results.watch = await runWatchBench({ ...(plan.quick ? { mb: 10, pings: 200, slowdownFile: null } : {}), step: (d) => progress.step('watch', d) });
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
results.durationSec = (Date.now() - started) / 1000;
progress.finish();

if (cpuProfDir) results.profiles = summarizeProfiles(cpuProfDir);
const tables = [...buildTables(results), ...(results.watch ? [watchTable(results.watch)] : [])];
process.stdout.write('\n' + renderText(tables));
for (const p of results.profiles ?? []) process.stdout.write(renderProfile(p, ROOT) + '\n\n');

const outDir = flags.out ? path.resolve(flags.out) : null;
const full = !plan.quick && only === null;
const jsonFile = outDir
  ? path.join(outDir, 'latest.json')
  : path.join(ROOT, 'bench/results', full ? 'latest.json' : plan.quick ? 'quick.json' : 'partial.json');
const docFile = outDir ? path.join(outDir, 'benchmarks.md') : full ? path.join(ROOT, 'docs/benchmarks.md') : null;
mkdirSync(path.dirname(jsonFile), { recursive: true });
writeFileSync(jsonFile, JSON.stringify(results, null, 2) + '\n');
process.stdout.write(`raw results: ${path.relative(process.cwd(), jsonFile)}\n`);
if (docFile) {
  mkdirSync(path.dirname(docFile), { recursive: true });
  writeFileSync(docFile, updatedDoc(docFile, figuresSection(results, renderMarkdown(tables))));
  process.stdout.write(`figures: ${path.relative(process.cwd(), docFile)}\n`);
}
if (cpuProfDir) process.stdout.write(`CPU profile of tcpscope: ${cpuProfDir}\n`);
process.exit(0);
