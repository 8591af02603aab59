import { spawn } from 'node:child_process';
import { closeSync } from 'node:fs';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openCaptureFifo } from './capture-fifo.ts';

describe('capture FIFO', () => {
  it('carries what a child writes to its stdout, in order, and ends when the child has exited', async () => {
    const fifo = openCaptureFifo();
    expect(fifo).not.toBeNull();
    const { readFd, writeFd } = fifo!;
    // Three writes of 64 KiB and one short one: more than a pipe holds, so the child waits for our reads.
    const child = spawn(process.execPath, ['-e', `for (let i = 0; i < 3; i++) process.stdout.write(Buffer.alloc(65536, i)); process.stdout.write('end')`], {
      stdio: ['ignore', writeFd, 'inherit'],
    });
    closeSync(writeFd);
    const reader = new Socket({ fd: readFd, readable: true, writable: false });
    const chunks: Buffer[] = [];
    reader.on('data', (b: Buffer) => chunks.push(b));
    const [exitCode] = await Promise.all([new Promise((r) => child.on('exit', r)), new Promise((r) => reader.on('close', r))]);
    expect(exitCode).toBe(0);
    const all = Buffer.concat(chunks);
    expect(all.length).toBe(3 * 65536 + 3);
    for (let i = 0; i < 3; i++) expect(all.subarray(i * 65536, (i + 1) * 65536).every((b) => b === i)).toBe(true);
    expect(all.subarray(-3).toString()).toBe('end');
  });
});
