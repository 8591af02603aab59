// The bench's side of bench/clients/watchers.ts: start it, set how many subscribers it holds, read its totals.
import { type ChildProcess, spawn } from 'node:child_process';
import { ROOT, track } from '../servers.ts';
import type { WatcherReply, WatcherRequest } from './watchers.ts';

export interface Watchers {
  pid: number;
  set(count: number): Promise<void>;
  stats(): Promise<Extract<WatcherReply, { type: 'stats' }>>;
  stop(): Promise<void>;
}

export async function startWatchers(httpUrl: string): Promise<Watchers> {
  const wsUrl = httpUrl.replace(/^http:/, 'ws:') + '/ws';
  const child: ChildProcess = track(
    spawn(process.execPath, ['--import', 'tsx', 'bench/clients/watchers.ts', wsUrl], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  const next = () =>
    new Promise<WatcherReply>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`watchers exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        resolve(m as WatcherReply);
      });
    });
  await next(); // started
  let queue: Promise<unknown> = Promise.resolve();
  const ask = (req: WatcherRequest): Promise<WatcherReply> => {
    const p = queue.then(() => {
      const reply = next();
      child.send(req);
      return reply;
    });
    queue = p.catch(() => undefined);
    return p;
  };
  return {
    pid: child.pid!,
    async set(count) {
      await ask({ type: 'set', count });
    },
    async stats() {
      const r = await ask({ type: 'stats' });
      if (r.type !== 'stats') throw new Error('watchers: unexpected reply');
      return r;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.disconnect();
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await done;
      clearTimeout(t);
    },
  };
}
