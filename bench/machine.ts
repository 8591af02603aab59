import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Machine } from './results.ts';

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: os.totalmem() / 2 ** 30,
    node: process.version,
    kernel: os.release(),
    loadAverage: os.loadavg()[0] ?? 0,
    autogroup: autogroup(),
    date: new Date().toISOString(),
  };
}

function autogroup(): boolean | null {
  try {
    return readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() === '1';
  } catch {
    return null;
  }
}
