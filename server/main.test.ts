// `npm start` as a process: bad flags exit 2 naming the flag, a taken port exits 1 naming it.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { once } from 'node:events';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

function runMain(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('npm start', () => {
  it('exits 2 and names the flag on a bad value', async () => {
    const r = await runMain(['--buffer-size', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--buffer-size "0": must be an integer from 1 to 65536');
  });

  it('exits 2 on an unknown flag', async () => {
    const r = await runMain(['--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--bogus');
  });

  it('exits 1 naming the port when the TCP port is taken', async () => {
    const blocker = net.createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as net.AddressInfo).port;
    const r = await runMain(['--http-port', '0', '--tcp-port', String(port)]);
    blocker.close();
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`TCP port ${port} on 127.0.0.1 is already in use`);
  });

  it('exits 1 naming the port when the HTTP port is taken', async () => {
    const blocker = net.createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as net.AddressInfo).port;
    const r = await runMain(['--http-port', String(port), '--tcp-port', '0']);
    blocker.close();
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`HTTP port ${port} on 127.0.0.1 is already in use`);
  });
});
