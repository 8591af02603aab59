// The package as a user gets it: `npm pack` in this repository, the tarball installed into an empty
// folder of its own, and the `tcpscope` command run from that folder. Shared by the package tests so
// that one run packs and installs once (both are slow), and new cases (e.g. `--watch PORT`) only add
// a `startInstalled([...flags])`.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

export interface InstalledPackage {
  /** The empty folder the tarball was installed into (the user's own project folder). */
  dir: string;
  /** The tarball `npm pack` made. */
  tarball: string;
  /** What `npm install <tarball>` printed (stdout and stderr). */
  installOutput: string;
  /** Removes the folders. */
  remove(): void;
}

/**
 * Packs the repository and installs the tarball into a new empty folder. `--prefer-offline`: the
 * dependencies come from npm's cache where `npm ci` left them, and from the registry otherwise.
 * npm runs with the Node that runs the tests, so a second Node version in .ci/run packs and installs
 * with itself as well.
 */
export async function packAndInstall(): Promise<InstalledPackage> {
  const packDir = mkdtempSync(path.join(os.tmpdir(), 'tcpscope-pack-'));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tcpscope-installed-'));
  const remove = () => {
    rmSync(packDir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const env = npmEnv();
    await run('npm', ['pack', '--pack-destination', packDir], { cwd: ROOT, env, maxBuffer: 16 << 20 });
    const tarballs = readdirSync(packDir).filter((f) => f.endsWith('.tgz'));
    if (tarballs.length !== 1) throw new Error(`npm pack made ${tarballs.length} tarballs in ${packDir}: ${tarballs.join(', ')}`);
    const tarball = path.join(packDir, tarballs[0]!);
    const installed = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], {
      cwd: dir,
      env,
      maxBuffer: 16 << 20,
    });
    return { dir, tarball, installOutput: installed.stdout + installed.stderr, remove };
  } catch (err) {
    remove();
    throw err;
  }
}

/**
 * The environment for npm and the installed command: this process's Node first on PATH (so that the
 * command's `#!/usr/bin/env node` and npm's scripts run on the Node under test), and none of the
 * npm_* variables an outer `npm test` sets, so that the inner npm sees no outer project.
 */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== 'INIT_CWD') env[k] = v;
  env.PATH = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`;
  return env;
}

export interface RunningCommand {
  child: ChildProcess;
  httpUrl: string;
  tcpPort: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
  /** SIGTERM, then the exit. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs the installed `tcpscope` (node_modules/.bin/tcpscope, the link npm made, through its shebang)
 * from the install folder with `flags`, and resolves once it has printed both addresses. In a process
 * group of its own, so that a failed test can end it and nothing else.
 */
export async function startInstalled(pkg: InstalledPackage, flags: string[], deadlineMs = 30_000): Promise<RunningCommand> {
  const child = spawn(path.join(pkg.dir, 'node_modules/.bin/tcpscope'), flags, {
    cwd: pkg.dir,
    env: npmEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  const output = () => `stdout:\n${out}\nstderr:\n${err}`;
  let timer: NodeJS.Timeout | undefined;
  try {
    const addresses = await new Promise<{ httpUrl: string; tcpPort: number }>((resolve, reject) => {
      const check = () => {
        const http = /tcpscope dashboard: (http:\/\/\S+?)\/\s/.exec(out);
        const tcp = /tcpscope echo server: \S+?:(\d+)/.exec(out);
        if (http && tcp) resolve({ httpUrl: http[1]!, tcpPort: Number(tcp[1]) });
      };
      child.stdout!.on('data', check);
      timer = setTimeout(() => reject(new Error(`installed tcpscope printed no addresses within ${deadlineMs} ms\n${output()}`)), deadlineMs);
      void exited.then(({ code, signal }) => reject(new Error(`installed tcpscope exited (${code ?? signal}) before listening\n${output()}`)));
    });
    return {
      child,
      ...addresses,
      exited,
      output,
      stop: () => {
        child.kill('SIGTERM');
        return exited;
      },
    };
  } catch (e) {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
