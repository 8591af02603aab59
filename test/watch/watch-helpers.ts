// Helpers for the watch tests: start a real server program and learn its port, wait with a deadline.
import { type ChildProcess, spawn } from 'node:child_process';
import type { Tcpscope } from '../../server/app.ts';
import type { StoredEvent } from '../../server/events/stored-event.ts';

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  /** Stops it (SIGKILL) and waits for its exit. */
  kill(): Promise<void>;
}

/** Starts `argv` and resolves when it prints "listening PORT" (within `ms`). */
export function startServer(argv: string[], ms = 20000, cwd?: string): Promise<ServerProcess> {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], cwd });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${argv.join(' ')}: no "listening PORT" line within ${ms} ms; output: ${out}`)), ms);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening (\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      resolve({
        child,
        pid: child.pid!,
        port: Number(m[1]),
        kill: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGKILL');
          }),
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${argv.join(' ')} exited with ${code} before listening: ${out}`));
    });
  });
}

/** Resolves with `promise`, or rejects naming `what` after `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}

/** Collects events until `done` holds for them; rejects naming `what` after `ms`. */
export function eventsUntil(scope: Tcpscope, done: (all: StoredEvent[]) => boolean, ms: number, what: string): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  let stop = () => {};
  const p = new Promise<StoredEvent[]>((resolve) => {
    stop = scope.recorder.subscribe((e) => {
      all.push(e);
      if (done(all)) {
        stop();
        resolve(all);
      }
    });
  });
  return within(p, ms, what).finally(() => stop());
}

/** Polls `check` every 50 ms until it returns a value; rejects naming `what` after `ms`. */
export async function until<T>(check: () => T | null | undefined | false | Promise<T | null | undefined | false>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
