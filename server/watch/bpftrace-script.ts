// The eBPF program that traces a watched server's socket calls, as bpftrace source. Every count is kept
// in the kernel, one tuple per (pid, fd) in @t, and each printed line carries the fd's running totals: a
// line lost when the output buffer overflows costs its preview, never its count. Detail is budgeted in
// the kernel: at most WATCH_DETAIL_CALLS_PER_SEC calls a second (bursts up to WATCH_DETAIL_BURST_CALLS)
// are printed with a preview; the others are only counted, and every DETAIL_TICK_MS the totals of every
// fd are printed (`print(@t)`) when some call went unprinted, so counts never go stale.
//
// The program follows the port, not one process: whoever starts listening on it (a restart) joins @pids
// ("p PID"), as do the processes a followed process forks; a followed process that exits says so
// ("e PID"). The probes filter on @pids, so a restart is traced from its first call, with no new program.
import { WATCH_DETAIL_BURST_CALLS, WATCH_DETAIL_CALLS_PER_SEC, WATCH_PREVIEW_BYTES } from '../../shared/limits.ts';

/** Syscall codes as printed in each line; the parser maps them back (trace-line.ts). */
export const READ_CALLS = { read: 1, recvfrom: 2, readv: 3, recvmsg: 4 } as const;
export const WRITE_CALLS = { write: 5, sendto: 6, writev: 7, sendmsg: 8, sendfile64: 9 } as const;
export type TracedCall = keyof typeof READ_CALLS | keyof typeof WRITE_CALLS;
export const CALL_NAMES: Record<number, TracedCall> = Object.fromEntries(
  Object.entries({ ...READ_CALLS, ...WRITE_CALLS }).map(([name, code]) => [code, name as TracedCall]),
);

const IOV_MAX_SUMMED = 4;
/** The detail budget is refilled this often (bpftrace's interval probe). */
export const DETAIL_TICK_MS = 100;
/** Keys per map: (pid, fd) pairs and followed tasks; a process's fds stay keyed until closed. */
export const BPF_MAP_KEYS = 65536;

/**
 * Sets $o to 1 when fd `fd` of this process is a TCP socket on the watched port, else 2, cached in
 * @ours: the kernel filters, so the process's other fds (files, pipes, its own outgoing connections) cost
 * one map lookup. The first time an fd is found ours it prints its addresses ("n" line): by the time user
 * space read /proc, a short connection could be gone. `fresh` says whether it was just accepted.
 */
function ours(fd: string, port: number, fresh: 0 | 1): string {
  return `$o = @ours[pid, ${fd}];
  if ($o == 0) {
    $o = 2;
    $f = *(curtask->files->fdt->fd + ${fd});
    if ($f != 0 && ($f->f_inode->i_mode & 0xF000) == 0xC000) {
      $sk = ((struct socket *)$f->private_data)->sk;
      if ($sk->sk_protocol == 6 && $sk->__sk_common.skc_num == ${port}) {
        $o = 1;
        if ($sk->__sk_common.skc_family == 10) {
          printf("n %d %d %d %d %d %s %s\\n", pid, ${fd}, ${fresh}, ${port}, bswap($sk->__sk_common.skc_dport),
            ntop($sk->__sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8), ntop($sk->__sk_common.skc_v6_daddr.in6_u.u6_addr8));
        } else {
          printf("n %d %d %d %d %d %s %s\\n", pid, ${fd}, ${fresh}, ${port}, bswap($sk->__sk_common.skc_dport),
            ntop($sk->__sk_common.skc_rcv_saddr), ntop($sk->__sk_common.skc_daddr));
        }
      }
    }
    @ours[pid, ${fd}] = $o;
  }`;
}

/** Each call's arguments by position, as the entry tracepoint names them. */
const ARG_NAMES: Record<TracedCall, readonly string[]> = {
  read: ['fd', 'buf', 'count'],
  write: ['fd', 'buf', 'count'],
  recvfrom: ['fd', 'ubuf', 'size'],
  sendto: ['fd', 'buff', 'len'],
  sendfile64: ['out_fd', 'in_fd', 'offset', 'count'],
  readv: ['fd', 'vec', 'vlen'],
  writev: ['fd', 'vec', 'vlen'],
  recvmsg: ['fd', 'msg', 'flags'],
  sendmsg: ['fd', 'msg', 'flags'],
};
/** The same by position in the saved user registers (x86-64 syscall convention). */
const REG_NAMES = ['$g->di', '$g->si', '$g->dx', '$g->r10'];
const codeOf = (call: TracedCall): number => ({ ...READ_CALLS, ...WRITE_CALLS })[call];

/** The fd argument as an int64 (the kernel takes the low 32 bits of the register). */
function fdOf(call: TracedCall, viaRegs: boolean): string {
  return viaRegs ? `(int64)(${REG_NAMES[0]} & 0xffffffff)` : `(int64)args->${ARG_NAMES[call][0]}`;
}

/**
 * Sets $p (where a preview can be read), $q (the count asked for) and $pl (how much of it is previewable).
 * Vectored calls: the requested count is the sum of the buffers (the first IOV_MAX_SUMMED); the preview comes from the first.
 */
function load(call: TracedCall, viaRegs: boolean): string {
  const a = (i: number) => (viaRegs ? REG_NAMES[i]! : `args->${ARG_NAMES[call][i]}`);
  switch (call) {
    case 'read':
    case 'write':
    case 'recvfrom':
    case 'sendto':
      return `$p = (uint64)${a(1)}; $q = (int64)${a(2)}; $pl = $q;`;
    case 'sendfile64':
      return `$p = (uint64)0; $q = (int64)${a(3)}; $pl = (int64)0;`;
    case 'readv':
    case 'writev':
    case 'recvmsg':
    case 'sendmsg': {
      const vec = call.endsWith('v') ? `(struct iovec *)${a(1)}` : `uptr((struct user_msghdr *)${a(1)})->msg_iov`;
      const vlen = call.endsWith('v') ? `(int64)${a(2)}` : `(int64)uptr((struct user_msghdr *)${a(1)})->msg_iovlen`;
      return `$v = ${vec}; $c = ${vlen}; $q = (int64)0; $i = (int64)0;
  unroll(${IOV_MAX_SUMMED}) { if ($i < $c) { $q = $q + (int64)uptr($v + $i)->iov_len; } $i = $i + 1; }
  $p = (uint64)0; $pl = (int64)0;
  if ($c > 0) { $p = (uint64)uptr($v)->iov_base; $pl = (int64)uptr($v)->iov_len; }`;
    }
  }
}

/** Without the registers: what the call asks for is stored at entry, one tuple per thread. */
function enter(call: TracedCall): string {
  const fd = fdOf(call, false);
  return `tracepoint:syscalls:sys_enter_${call} /@pids[pid] && @ours[pid, ${fd}] != 2/ {
  ${load(call, false)}
  @e[tid] = ((int64)${codeOf(call)}, ${fd}, $p, $q, $pl); }`;
}

/**
 * What a call's exit does with its fd ($fd), result ($r) and code ($s); `loadRest` sets $p, $q, $pl.
 * Line formats (space-separated, preview last, escaped by %r):
 *   r|w PID FD RET REQUESTED CALLS BYTES EAGAINS SYSCALL PREVIEW   a call shown in detail, with the fd's totals
 *   x PID FD ERRNO SYSCALL                                         a call that failed (not EAGAIN)
 *   c PID FD RCALLS RBYTES WCALLS WBYTES EAGAINS                   close() of a connection on the port
 *   n PID FD FRESH PORT RPORT LADDR RADDR                          an fd found to be a connection on the port (FRESH: just accepted)
 *   @t[PID, FD]: (RCALLS, RBYTES, WCALLS, WBYTES, EAGAINS)          totals (print(@t)), after calls went unshown
 *   p PID / e PID                                                  a process began listening on the port / a followed one exited
 *   T                                                              heartbeat (also makes a dead reader kill us: SIGPIPE)
 *   B                                                              the registers did not hold the call's arguments (once)
 */
function body(direction: 'r' | 'w', port: number, previewBytes: number, loadRest: string): string {
  const bump = direction === 'r' ? '($t.0 + 1, $t.1 + $r, $t.2, $t.3, $t.4)' : '($t.0, $t.1, $t.2 + 1, $t.3 + $r, $t.4)';
  const [calls, bytes] = direction === 'r' ? ['$t.0 + 1', '$t.1 + $r'] : ['$t.2 + 1', '$t.3 + $r'];
  return `${ours('$fd', port, 0)}
    if ($o == 1) {
      $t = @t[pid, $fd];
      if ($r > 0) {
        @t[pid, $fd] = ${bump};
        $l = @left;
        if ($l > 0) {
          @left = $l - 1;
          ${loadRest}
          $n = $r; if ($n > $pl) { $n = $pl; } if ($n > ${previewBytes}) { $n = ${previewBytes}; }
          if ($n > 0) {
            printf("${direction} %d %d %d %d %d %d %d %d %r\\n", pid, $fd, $r, $q, ${calls}, ${bytes}, $t.4, $s, buf(uptr((uint8 *)$p), $n));
          } else {
            printf("${direction} %d %d %d %d %d %d %d %d \\n", pid, $fd, $r, $q, ${calls}, ${bytes}, $t.4, $s);
          }
        } else if (@skip == 0) {
          @skip = 1;
        }
      } else if ($r == -11) {
        @t[pid, $fd] = ($t.0, $t.1, $t.2, $t.3, $t.4 + 1);
      } else if ($r < 0) {
        printf("x %d %d %d %d\\n", pid, $fd, -$r, $s);
      }
    }`;
}

/** With entry probes: one exit probe per direction reads back the tuple stored at entry. */
function exitFromEntry(direction: 'r' | 'w', calls: readonly TracedCall[], port: number, previewBytes: number): string {
  const probes = calls.map((name) => `tracepoint:syscalls:sys_exit_${name}`).join(',\n');
  return `${probes} /@pids[pid]/ {
  $e = @e[tid];
  if ($e.0 > 0) {
    delete(@e[tid]);
    $s = $e.0; $fd = $e.1; $r = (int64)args->ret;
    ${body(direction, port, previewBytes, '$p = $e.2; $q = $e.3; $pl = $e.4;')}
  }
}`;
}

/**
 * Without entry probes (x86-64): at exit the call's arguments are still in the user registers the kernel
 * saved at entry, at the top of the task's kernel stack (task_pt_regs). Half the probes and no per-thread
 * map: the cheapest way to trace a call. Checked on every call: the saved syscall number and result must
 * be this call's, or the line `B` says the layout is not what this program expects.
 */
function exitFromRegs(direction: 'r' | 'w', call: TracedCall, port: number, previewBytes: number): string {
  return `tracepoint:syscalls:sys_exit_${call} /@pids[pid]/ {
  $g = (struct pt_regs *)((uint64)curtask->stack + ${THREAD_SIZE} - ${PT_REGS_SIZE});
  $r = (int64)args->ret;
  if ((int64)$g->orig_ax == (int64)args->__syscall_nr && (int64)$g->ax == $r) {
    $s = ${codeOf(call)}; $fd = ${fdOf(call, true)};
    ${body(direction, port, previewBytes, load(call, true))}
  } else if (@bad == 0) {
    @bad = 1; printf("B\\n");
  }
}`;
}

/** x86-64's kernel stack size and sizeof(struct pt_regs), for task_pt_regs (no FRED padding, no KASAN). */
const THREAD_SIZE = 16384;
const PT_REGS_SIZE = 168;

export interface ScriptOptions {
  previewBytes?: number;
  /** Calls shown in detail per second, over the whole watch; the rest are counted. */
  detailPerSec?: number;
  detailBurst?: number;
  /** Read each call's arguments at exit from the saved registers (x86-64) rather than storing them at entry. */
  argsAtExit?: boolean;
}

export function bpftraceScript(pid: number, port: number, options: ScriptOptions = {}): string {
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`not a pid: ${pid}`);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`not a port: ${port}`);
  const previewBytes = options.previewBytes ?? WATCH_PREVIEW_BYTES;
  const perTick = Math.max(1, Math.round(((options.detailPerSec ?? WATCH_DETAIL_CALLS_PER_SEC) * DETAIL_TICK_MS) / 1000));
  const burst = Math.max(perTick, options.detailBurst ?? WATCH_DETAIL_BURST_CALLS);
  const reads = Object.keys(READ_CALLS) as TracedCall[];
  const writes = Object.keys(WRITE_CALLS) as TracedCall[];
  const viaRegs = options.argsAtExit ?? process.arch === 'x64';
  const forget = `delete(@ours[pid, $fd]); delete(@t[pid, $fd]);`;
  return [
    // BEGIN fires once every probe is attached: from then on no call of the process is missed.
    // The totals' type is declared here: the probes' updates read it back.
    `BEGIN { @t[pid, (int64)-1] = ((int64)0, (int64)0, (int64)0, (int64)0, (int64)0); delete(@t[pid, (int64)-1]);
  @pids[${pid}] = 1; @left = ${burst}; @skip = 0; @bad = 0; printf("READY\\n"); }`,
    ...(viaRegs
      ? [...reads.map((c) => exitFromRegs('r', c, port, previewBytes)), ...writes.map((c) => exitFromRegs('w', c, port, previewBytes))]
      : [
          ...reads.map((c) => enter(c)),
          ...writes.map((c) => enter(c)),
          exitFromEntry('r', reads, port, previewBytes),
          exitFromEntry('w', writes, port, previewBytes),
        ]),
    `tracepoint:syscalls:sys_enter_close /@pids[pid]/ {
  $fd = (int64)args->fd;
  $t = @t[pid, $fd];
  if (@ours[pid, $fd] == 1) { printf("c %d %d %d %d %d %d %d\\n", pid, $fd, $t.0, $t.1, $t.2, $t.3, $t.4); }
  ${forget}
}`,
    `tracepoint:syscalls:sys_exit_accept4, tracepoint:syscalls:sys_exit_accept /@pids[pid] && args->ret >= 0/ {
  $fd = (int64)args->ret;
  ${forget}
  ${ours('$fd', port, 1)}
}`,
    // A restart: whoever starts listening on the port is followed from its listen() on.
    `tracepoint:sock:inet_sock_set_state /args->newstate == 10 && args->sport == ${port} && args->protocol == 6/ {
  if (@pids[pid] == 0) { @pids[pid] = 1; }
  printf("p %d\\n", pid);
}`,
    // A pre-forking server's workers, and threads (harmless: tids never match pid), are followed too.
    `tracepoint:sched:sched_process_fork /@pids[pid]/ { @pids[args->child_pid] = 1; }`,
    `tracepoint:sched:sched_process_exit /@pids[tid]/ { delete(@pids[tid]); if (pid == tid) { printf("e %d\\n", pid); } }`,
    // The budget refills; after calls went unshown, the totals say how many.
    `interval:ms:${DETAIL_TICK_MS} {
  $l = @left + ${perTick}; if ($l > ${burst}) { $l = ${burst}; } @left = $l;
  if (@skip) { @skip = 0; print(@t); }
}`,
    `interval:s:1 { printf("T\\n"); }`,
    // Maps are not worth printing at exit: the tracker has the totals from the lines.
    `END { ${viaRegs ? '' : 'clear(@e); '}clear(@t); clear(@ours); clear(@pids); clear(@left); clear(@skip); clear(@bad); }`,
    '',
  ].join('\n');
}
