// Whether a mechanism can trace here, and if not, what is missing and the command that fixes it.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import type { WatchMechanism } from '../../shared/watch.ts';

const TRACEFS = '/sys/kernel/tracing';

function onPath(tool: string): boolean {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    try {
      accessSync(`${dir}/${tool}`, constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

/** Effective capabilities of this process (CapEff in /proc/self/status). */
function capEff(): bigint {
  try {
    const m = /CapEff:\s*([0-9a-f]+)/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? BigInt('0x' + m[1]) : 0n;
  } catch {
    return 0n;
  }
}
const CAP_SYS_ADMIN = 21n;
const CAP_SYS_PTRACE = 19n;
const CAP_PERFMON = 38n;
const CAP_BPF = 39n;
const has = (cap: bigint) => ((capEff() >> cap) & 1n) === 1n;

/** Mounts tracefs when it is not (root can): tracepoints need it. */
function ensureTracefs(): string | null {
  if (existsSync(`${TRACEFS}/events/syscalls`)) return null;
  if (has(CAP_SYS_ADMIN)) {
    try {
      execFileSync('mount', ['-t', 'tracefs', 'nodev', TRACEFS], { stdio: 'ignore' });
      if (existsSync(`${TRACEFS}/events/syscalls`)) return null;
    } catch {
      // fall through to the reason
    }
  }
  return `tracefs is not mounted at ${TRACEFS} (as root: mount -t tracefs nodev ${TRACEFS})`;
}

/** null when `mechanism` can trace process `pid`; otherwise why not, with the fix. */
export function unavailableReason(mechanism: WatchMechanism, pid: number): string | null {
  if (mechanism === 'ebpf') {
    if (!onPath('bpftrace')) return 'bpftrace is not installed (apt-get install -y bpftrace)';
    if (!(has(CAP_SYS_ADMIN) || (has(CAP_BPF) && has(CAP_PERFMON))))
      return 'eBPF needs root or CAP_BPF and CAP_PERFMON (sudo setcap cap_bpf,cap_perfmon+ep on the node binary, or run tcpscope as root)';
    return ensureTracefs();
  }
  if (!onPath('strace')) return 'strace is not installed (apt-get install -y strace)';
  if (has(CAP_SYS_PTRACE)) return null;
  let scope = 0;
  try {
    scope = Number(readFileSync('/proc/sys/kernel/yama/ptrace_scope', 'utf8').trim());
  } catch {
    // no Yama: classic ptrace rules
  }
  let uid = -1;
  try {
    uid = Number(/Uid:\s*(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  } catch {
    // gone
  }
  if (uid !== process.getuid?.()) return `process ${pid} belongs to another user: strace can trace only your own processes (run tcpscope as root)`;
  if (scope >= 1)
    return `ptrace is restricted to child processes (/proc/sys/kernel/yama/ptrace_scope = ${scope}; as root: sysctl kernel.yama.ptrace_scope=0, or run tcpscope as root)`;
  return null;
}
