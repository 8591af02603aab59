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
    date: new Date().toISOString(),
  };
}
