// The capture program dies with tcpscope: a tcpscope killed with SIGKILL cannot stop its child, and tcpdump
// would keep running until its next packet. Here a process runs the capture source with a stand-in program
// (sleep, with a unique argument to find it by), is killed with SIGKILL, and the program must be gone.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { livePids } from '../processes.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Pids of live (not zombie) processes whose argv is exactly `argv`. */
function pidsRunning(argv: string[]): Promise<number[]> {
  const want = argv.join('\0') + '\0';
  return livePids((cmdline) => cmdline === want);
}

/** Re-checks `cond` (each check reads /proc, so it yields) until true; fails naming `what` after its deadline. */
async function eventually(what: string, cond: () => Promise<boolean>, deadlineMs = 10_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) if (await cond()) return;
  throw new Error(`gave up after ${deadlineMs} ms waiting for ${what}`);
}

describe('capture program', () => {
  it('dies when tcpscope is killed with SIGKILL', async () => {
    const argv = ['sleep', `1000.${process.pid}${Date.now() % 100000}`];
    const script =
      `import { createTcpdumpSource } from ${JSON.stringify(path.join(ROOT, 'server/capture/tcpdump-source.ts'))};` +
      `createTcpdumpSource({ port: 1, command: ${JSON.stringify(argv)}, onRecord: () => {} }).start();` +
      `setInterval(() => {}, 1e6);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, stdio: 'ignore' });
    try {
      await eventually(`${argv.join(' ')} to start`, async () => (await pidsRunning(argv)).length === 1);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      await eventually(`${argv.join(' ')} to die with its parent`, async () => (await pidsRunning(argv)).length === 0);
      expect(await pidsRunning(argv)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      for (const pid of await pidsRunning(argv)) process.kill(pid, 'SIGKILL');
    }
  });
});
