// The eBPF program that traces one process's socket calls, as bpftrace source. Every count is kept in
// the kernel, in maps keyed by fd, and each printed line carries the fd's running totals: a line lost
// when the output buffer overflows costs its preview, never its count (the next line's totals say
// exactly how many calls and bytes went by). The preview is what the reader can take: at most
// WATCH_PREVIEW_BYTES of each call, copied from the buffer the call filled.
import { WATCH_PREVIEW_BYTES } from '../../shared/limits.ts';

/** Syscall codes as printed in each line; the parser maps them back (trace-line.ts). */
export const READ_CALLS = { read: 1, recvfrom: 2, readv: 3, recvmsg: 4 } as const;
export const WRITE_CALLS = { write: 5, sendto: 6, writev: 7, sendmsg: 8, sendfile64: 9 } as const;
export type TracedCall = keyof typeof READ_CALLS | keyof typeof WRITE_CALLS;
export const CALL_NAMES: Record<number, TracedCall> = Object.fromEntries(
  Object.entries({ ...READ_CALLS, ...WRITE_CALLS }).map(([name, code]) => [code, name as TracedCall]),
);

const IOV_MAX_SUMMED = 4;

/**
 * Sets $o to 1 when fd `fd` is a TCP socket on the watched port, else 2, cached in @ours: the kernel
 * filters, so the process's other fds (files, pipes, its own outgoing connections) cost one map lookup.
 * The first time an fd is found ours it prints its addresses ("n" line): by the time user space read
 * /proc, a short connection could be gone. `fresh` says whether it was just accepted.
 */
function ours(fd: string, port: number, fresh: 0 | 1): string {
  return `$o = @ours[${fd}];
  if ($o == 0) {
    $o = 2;
    $f = *(curtask->files->fdt->fd + ${fd});
    if ($f != 0 && ($f->f_inode->i_mode & 0xF000) == 0xC000) {
      $sk = ((struct socket *)$f->private_data)->sk;
      if ($sk->sk_protocol == 6 && $sk->__sk_common.skc_num == ${port}) {
        $o = 1;
        if ($sk->__sk_common.skc_family == 10) {
          printf("n %d %d %d %d %d %s %s\\n", tid, ${fd}, ${fresh}, ${port}, bswap($sk->__sk_common.skc_dport),
            ntop($sk->__sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8), ntop($sk->__sk_common.skc_v6_daddr.in6_u.u6_addr8));
        } else {
          printf("n %d %d %d %d %d %s %s\\n", tid, ${fd}, ${fresh}, ${port}, bswap($sk->__sk_common.skc_dport),
            ntop($sk->__sk_common.skc_rcv_saddr), ntop($sk->__sk_common.skc_daddr));
        }
      }
    }
    @ours[${fd}] = $o;
  }`;
}

/** Stores what the call asks for at entry: fd, requested count, where a preview can be read and how much. */
function enter(call: TracedCall, pid: number): string {
  const code = { ...READ_CALLS, ...WRITE_CALLS }[call];
  const fdArg = call === 'sendfile64' ? 'args->out_fd' : 'args->fd';
  // Cheap at entry (a few map stores); whether the fd is ours is decided once per call at exit.
  const head = `tracepoint:syscalls:sys_enter_${call} /pid == ${pid} && @ours[(int64)${fdArg}] != 2/ {`;
  const keep = (fd: string, ptr: string, req: string, previewable: string) =>
    `${head} @s[tid] = ${code}; @fd[tid] = (int64)${fd}; @p[tid] = (uint64)${ptr}; @q[tid] = (int64)${req}; @pl[tid] = (int64)${previewable}; }`;
  switch (call) {
    case 'read':
    case 'write':
      return keep('args->fd', 'args->buf', 'args->count', 'args->count');
    case 'recvfrom':
      return keep('args->fd', 'args->ubuf', 'args->size', 'args->size');
    case 'sendto':
      return keep('args->fd', 'args->buff', 'args->len', 'args->len');
    case 'sendfile64':
      return keep('args->out_fd', '0', 'args->count', '0');
    case 'readv':
    case 'writev':
      return iovEnter(head, code, 'args->fd', '(struct iovec *)args->vec', 'args->vlen');
    case 'recvmsg':
    case 'sendmsg':
      return iovEnter(head, code, 'args->fd', 'uptr((struct user_msghdr *)args->msg)->msg_iov', 'uptr((struct user_msghdr *)args->msg)->msg_iovlen');
  }
}

/** Vectored calls: the requested count is the sum of the buffers (the first IOV_MAX_SUMMED); the preview comes from the first. */
function iovEnter(head: string, code: number, fd: string, vec: string, vlen: string): string {
  return `${head}
  $v = ${vec}; $c = (int64)${vlen}; $n = (int64)0; $i = (int64)0;
  unroll(${IOV_MAX_SUMMED}) { if ($i < $c) { $n = $n + (int64)uptr($v + $i)->iov_len; } $i = $i + 1; }
  @s[tid] = ${code}; @fd[tid] = (int64)${fd}; @q[tid] = $n;
  if ($c > 0) { @p[tid] = (uint64)uptr($v)->iov_base; @pl[tid] = (int64)uptr($v)->iov_len; } else { @p[tid] = (uint64)0; @pl[tid] = (int64)0; } }`;
}

/**
 * One exit body for each direction. Line formats (space-separated, preview last, escaped by %r):
 *   r|w TID FD RET REQUESTED CALLS BYTES EAGAINS SYSCALL PREVIEW   a call that moved data, with the fd's totals
 *   x TID FD ERRNO SYSCALL                                         a call that failed (not EAGAIN)
 *   c TID FD RCALLS RBYTES WCALLS WBYTES EAGAINS                   close() of an fd that moved data
 *   n TID FD FRESH PORT RPORT LADDR RADDR                          an fd found to be a connection on the port (FRESH: just accepted)
 *   T                                                              heartbeat (also makes a dead reader kill us: SIGPIPE)
 */
function exit(direction: 'r' | 'w', calls: readonly string[], pid: number, port: number, previewBytes: number): string {
  const [c, b] = direction === 'r' ? ['@rc', '@rb'] : ['@wc', '@wb'];
  const probes = calls.map((name) => `tracepoint:syscalls:sys_exit_${name}`).join(',\n');
  return `${probes} /pid == ${pid}/ {
  $s = @s[tid];
  if ($s > 0) {
    $fd = @fd[tid]; $r = (int64)args->ret;
    ${ours('$fd', port, 0)}
    if ($o != 1) { $r = 0; }
    if ($r > 0) {
      ${c}[$fd] = ${c}[$fd] + 1; ${b}[$fd] = ${b}[$fd] + (uint64)$r;
      $n = $r; if ($n > @pl[tid]) { $n = @pl[tid]; } if ($n > ${previewBytes}) { $n = ${previewBytes}; }
      if ($n > 0) {
        printf("${direction} %d %d %d %d %d %d %d %d %r\\n", tid, $fd, $r, @q[tid], ${c}[$fd], ${b}[$fd], @ea[$fd], $s, buf(@p[tid], $n));
      } else {
        printf("${direction} %d %d %d %d %d %d %d %d \\n", tid, $fd, $r, @q[tid], ${c}[$fd], ${b}[$fd], @ea[$fd], $s);
      }
    } else if ($r == -11 && $o == 1) {
      @ea[$fd] = @ea[$fd] + 1;
    } else if ($r < 0 && $o == 1) {
      printf("x %d %d %d %d\\n", tid, $fd, -$r, $s);
    }
    delete(@s[tid]); delete(@fd[tid]); delete(@p[tid]); delete(@q[tid]); delete(@pl[tid]);
  }
}`;
}

export function bpftraceScript(pid: number, port: number, previewBytes = WATCH_PREVIEW_BYTES): string {
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`not a pid: ${pid}`);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`not a port: ${port}`);
  const reads = Object.keys(READ_CALLS) as TracedCall[];
  const writes = Object.keys(WRITE_CALLS) as TracedCall[];
  return [
    ...reads.map((c) => enter(c, pid)),
    ...writes.map((c) => enter(c, pid)),
    exit('r', reads, pid, port, previewBytes),
    exit('w', writes, pid, port, previewBytes),
    `tracepoint:syscalls:sys_enter_close /pid == ${pid}/ {
  $fd = (int64)args->fd;
  if (@ours[$fd] == 1) { printf("c %d %d %d %d %d %d %d\\n", tid, $fd, @rc[$fd], @rb[$fd], @wc[$fd], @wb[$fd], @ea[$fd]); }
  delete(@ours[$fd]); delete(@rc[$fd]); delete(@rb[$fd]); delete(@wc[$fd]); delete(@wb[$fd]); delete(@ea[$fd]);
}`,
    `tracepoint:syscalls:sys_exit_accept4, tracepoint:syscalls:sys_exit_accept /pid == ${pid} && args->ret >= 0/ {
  $fd = (int64)args->ret;
  delete(@ours[$fd]); delete(@rc[$fd]); delete(@rb[$fd]); delete(@wc[$fd]); delete(@wb[$fd]); delete(@ea[$fd]);
  ${ours('$fd', port, 1)}
}`,
    // BEGIN fires once every probe is attached: from then on no call is missed.
    `BEGIN { printf("READY\\n"); }`,
    `interval:s:1 { printf("T\\n"); }`,
    // Maps are not worth printing at exit: the tracker has the totals from the lines.
    `END { clear(@s); clear(@fd); clear(@p); clear(@q); clear(@pl); clear(@rc); clear(@rb); clear(@wc); clear(@wb); clear(@ea); clear(@ours); }`,
    '',
  ].join('\n');
}
