// Reads the V8 CPU profiles `node --cpu-prof` wrote and ranks functions by self time, so that a run
// with --profile says at once where tcpscope's time goes (open the .cpuprofile in Chrome DevTools for
// the whole tree).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Share of samples not idle or in the garbage collector. */
  busyShare: number;
  gcShare: number;
  top: { name: string; share: number }[];
}

function label(n: CpuProfileNode): string {
  const f = n.callFrame;
  const name = f.functionName || '(anonymous)';
  if (!f.url) return name;
  const m = /\/(server|shared|node_modules\/[^/]+|bench)\/(.*)$/.exec(f.url);
  const where = m ? `${m[1]}/${m[2]}` : f.url.replace(/^.*\//, '');
  // tsx compiles each file to one line: a line number says nothing then.
  return f.lineNumber > 0 ? `${name} ${where}:${f.lineNumber + 1}` : `${name} ${where}`;
}

export function summarizeProfile(file: string, topN = 15): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const self = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let gc = 0;
  for (const n of p.nodes) {
    const hits = n.hitCount ?? 0;
    if (hits === 0) continue;
    total += hits;
    const name = n.callFrame.functionName;
    if (name === '(idle)') idle += hits;
    else if (name === '(garbage collector)') gc += hits;
    const l = label(n);
    self.set(l, (self.get(l) ?? 0) + hits);
  }
  const busy = total - idle;
  const top = [...self.entries()]
    .filter(([l]) => l !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, topN)
    .map(([name, hits]) => ({ name, share: busy > 0 ? hits / busy : 0 }));
  return {
    file,
    totalMs: (p.endTime - p.startTime) / 1000,
    busyShare: total > 0 ? busy / total : 0,
    gcShare: busy > 0 ? gc / busy : 0,
    top,
  };
}

/** Every .cpuprofile under `dir` (one level of subdirectories), summarised. */
export function summarizeProfiles(dir: string, topN = 15): ProfileSummary[] {
  const files: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isFile() && e.name.endsWith('.cpuprofile')) files.push(path.join(dir, e.name));
    else if (e.isDirectory()) {
      for (const f of readdirSync(path.join(dir, e.name))) if (f.endsWith('.cpuprofile')) files.push(path.join(dir, e.name, f));
    }
  }
  // tsx's module loader runs in a worker thread that gets a profile of its own; it idles once loaded.
  return files
    .sort()
    .map((f) => summarizeProfile(f, topN))
    .filter((s) => !s.top.some((t) => /hooks|tsx\/dist/.test(t.name)) || s.busyShare > 0.2);
}

export function renderProfile(s: ProfileSummary, root: string): string {
  const lines = [
    `CPU profile ${path.relative(root, s.file)}: ${(s.totalMs / 1000).toFixed(1)} s, busy ${(s.busyShare * 100).toFixed(0)}% of it, GC ${(s.gcShare * 100).toFixed(0)}% of busy`,
  ];
  for (const t of s.top) lines.push(`  ${(t.share * 100).toFixed(1).padStart(5)}%  ${t.name}`);
  return lines.join('\n');
}
