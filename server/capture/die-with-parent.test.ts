// The wrapper that ties a capture program's life to ours also enlarges the pipe it writes into (where perl is,
// as on every Debian and Ubuntu). Real processes, a real FIFO: the program itself reports its stdout's size.
import { spawn } from 'node:child_process';
import { chmodSync, closeSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasProgram } from '../../test/processes.ts';
import { openCaptureFifo } from './capture-fifo.ts';
import { dieWithParent, PIPE_SIZE_LINE, spawnErrorOf } from './die-with-parent.ts';

const hasPerl = hasProgram('perl');
/** Prints the size of the pipe its stdout is (F_GETPIPE_SZ). */
const PRINT_PIPE_SIZE = ['perl', '-e', 'print fcntl(STDOUT, 1032, 0)'];
const MiB = 1024 * 1024;

/** Runs argv under the wrapper with a FIFO as its stdout; resolves with its exit code, stdout and stderr. */
function runWrapped(argv: string[], pipeBytes?: number): Promise<{ code: number | null; out: string; err: string }> {
  const fifo = openCaptureFifo();
  if (fifo === null) throw new Error('mkfifo is needed');
  const [file, args] = dieWithParent(argv, pipeBytes === undefined ? {} : { pipeBytes });
  const proc = spawn(file, args, { stdio: ['pipe', fifo.writeFd, 'pipe'] });
  closeSync(fifo.writeFd);
  const stream = new net.Socket({ fd: fifo.readFd, readable: true, writable: false });
  let out = '';
  let err = '';
  stream.setEncoding('utf8').on('data', (s: string) => (out += s));
  proc.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  const streamEnded = new Promise<void>((r) => stream.once('close', () => r()));
  return new Promise((resolve) => proc.once('close', (code) => void streamEnded.then(() => resolve({ code, out, err }))));
}

describe('die with parent: the pipe the program writes into', () => {
  it.skipIf(!hasPerl)('is enlarged to the size asked for, and the wrapper says so on stderr (needs perl)', async () => {
    const r = await runWrapped(PRINT_PIPE_SIZE, MiB);
    expect(r).toEqual({ code: 0, out: String(MiB), err: `tcpscope-capture: pipe ${MiB} bytes\n` });
    expect(PIPE_SIZE_LINE.exec(r.err)?.[1]).toBe(String(MiB));
  });

  it.skipIf(!hasPerl)('is left at Linux\'s 64 KiB when no size is asked for, and nothing is said (needs perl)', async () => {
    expect(await runWrapped(PRINT_PIPE_SIZE)).toEqual({ code: 0, out: '65536', err: '' });
  });

  it.skipIf(!hasPerl)('keeps the exit codes of a program that cannot be run: 127 not found, 126 not executable (needs perl)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tcpscope-dwp-'));
    try {
      const notExecutable = path.join(dir, 'capture');
      writeFileSync(notExecutable, '#!/bin/sh\nexit 0\n');
      chmodSync(notExecutable, 0o644);
      const denied = await runWrapped([notExecutable], MiB);
      expect(denied.code).toBe(126);
      expect(spawnErrorOf(denied.code, notExecutable)?.code).toBe('EACCES');
      const missing = await runWrapped([path.join(dir, 'missing')], MiB);
      expect(missing.code).toBe(127);
      expect(spawnErrorOf(missing.code, 'missing')?.code).toBe('ENOENT');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
