// docs/benchmarks.md: the prose around the figures is written by hand; the figures go between two
// markers and are replaced by each full run, so the analysis stays while the numbers refresh.
import { existsSync, readFileSync } from 'node:fs';
import type { BenchResults } from '../results.ts';
import { clock } from '../progress.ts';

export const BEGIN = '<!-- bench:begin (written by `npm run bench`; edit outside these markers) -->';
export const END = '<!-- bench:end -->';

export function figuresSection(r: BenchResults, tablesMarkdown: string): string {
  const m = r.machine;
  const lg =
    r.loadgen.impl === 'c'
      ? 'C (bench/loadgen/loadgen.c, compiled with `cc` at run time)'
      : `Node (bench/loadgen/loadgen.ts${r.loadgen.note ? `: ${r.loadgen.note}` : ''})`;
  return [
    BEGIN,
    '',
    `Run of ${m.date}${r.quick ? ' (**--quick**: smoke figures only)' : ''}, ${clock(r.durationSec)} long.`,
    '',
    `- Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB.toFixed(1)} GiB, Linux ${m.kernel}, load average ${m.loadAverage.toFixed(2)} at the start`,
    `- Node ${m.node}; load generator: ${lg}`,
    `- Sessions: ${sessionsNote(r)}`,
    '',
    tablesMarkdown.trimEnd(),
    '',
    END,
  ].join('\n');
}

function sessionsNote(r: BenchResults): string {
  const groups =
    r.machine.autogroup === true ? 'the kernel shares CPU between sessions first (autogroup on)' : r.machine.autogroup === false ? 'autogroup off' : 'autogroup unknown';
  const where =
    r.sessions === 'separate'
      ? 'each server, baseline and bare tcpdump in a session of its own (--separate-sessions)'
      : 'every server, baseline and tcpdump in the bench\'s session, with the load generator';
  return `${where}; ${groups}`;
}

const TEMPLATE = (section: string) => `# Benchmarks

Figures from \`npm run bench\`. Ratios (tcpscope ÷ the onread baseline, measured in the same run,
alternated over rounds) are the headline; absolute figures depend on the machine.

${section}
`;

/** The new text of the doc at `file`: its marked section replaced, or a fresh doc. */
export function updatedDoc(file: string, section: string): string {
  if (!existsSync(file)) return TEMPLATE(section);
  const old = readFileSync(file, 'utf8');
  const a = old.indexOf(BEGIN);
  const b = old.indexOf(END);
  if (a < 0 || b < a) return `${old.trimEnd()}\n\n${section}\n`;
  return old.slice(0, a) + section + old.slice(b + END.length);
}
