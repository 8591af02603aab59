// Processes on this machine, as tests see them: from /proc and sh alone, without importing the server.
import { spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

/** Whether `name` is a program on the PATH (`command -v`). */
export function hasProgram(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Pids of live (not zombie) processes whose command line (`/proc/PID/cmdline`: the arguments, each ended by
 * a NUL) satisfies `matches`. Each /proc read is awaited, so a loop of checks yields.
 */
export async function livePids(matches: (cmdline: string) => boolean): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!matches(await readFile(`/proc/${entry}/cmdline`, 'latin1'))) continue;
      const stat = await readFile(`/proc/${entry}/stat`, 'latin1');
      // A zombie (state Z) has exited and waits only for its parent to read its status.
      if (stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z') found.push(Number(entry));
    } catch {
      // gone between the listing and the read
    }
  }
  return found;
}
