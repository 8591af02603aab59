// Parses strace's output (`strace -f -qq -yy -xx -s N -e trace=… -p PID`) into TraceCalls. Pure but for a
// little state: with -f, a call that blocks is printed in two halves ("<unfinished ...>" then
// "<... read resumed>"), which are joined per thread before parsing.
import { type SocketTuple, type TraceCall } from './trace-call.ts';

const READS = new Set(['read', 'recvfrom', 'readv', 'recvmsg', 'recv']);
const WRITES = new Set(['write', 'sendto', 'writev', 'sendmsg', 'sendfile', 'sendfile64', 'send']);
const PID_PREFIX = /^\[pid\s+(\d+)\] /;
// The fd's description ends at "]>" for sockets ("->" inside it is no end), at ">" otherwise.
const CALL = /^(\w+)\((\d+)(?:<(TCP(?:v6)?:\[.*?\]|[^>]*)>)?(.*)\)\s+=\s+(-?\d+)(?:<.*?>)?(?:\s+(E[A-Z0-9]+))?/;
const UNFINISHED = ' <unfinished ...>';
const RESUMED = /^<\.\.\. (\w+) resumed>(.*)$/;

/** "TCP:[127.0.0.1:5055->127.0.0.1:59398]" or "TCPv6:[[::1]:5055->[::1]:40000]" → the tuple; null otherwise. */
export function parseStraceSocket(text: string): SocketTuple | null {
  const m = /^TCP(?:v6)?:\[(.*)->(.*)\]$/.exec(text);
  if (!m) return null;
  const local = endpoint(m[1]!);
  const remote = endpoint(m[2]!);
  if (!local || !remote) return null;
  return { localAddress: local.address, localPort: local.port, remoteAddress: remote.address, remotePort: remote.port };
}

function endpoint(text: string): { address: string; port: number } | null {
  const colon = text.lastIndexOf(':');
  if (colon < 0) return null;
  let address = text.slice(0, colon);
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1);
  if (address.startsWith('::ffff:') && address.includes('.')) address = address.slice(7);
  const port = Number(text.slice(colon + 1));
  return Number.isInteger(port) ? { address, port } : null;
}

/** The bytes of every "\xNN…" string in `args` (all of them: readv's buffers one after another). */
function stringBytes(args: string): Buffer {
  const out: number[] = [];
  const re = /"((?:\\x[0-9a-fA-F]{2})*)"/g;
  for (let m = re.exec(args); m; m = re.exec(args)) {
    const s = m[1]!;
    for (let i = 0; i < s.length; i += 4) out.push(parseInt(s.slice(i + 2, i + 4), 16));
  }
  return Buffer.from(out);
}

/** What the call asked for: the sum of iov_len for vectored calls, else the number after the buffer. */
function requestedOf(syscall: string, args: string): number {
  if (syscall === 'readv' || syscall === 'writev' || syscall === 'recvmsg' || syscall === 'sendmsg') {
    let sum = 0;
    for (const m of args.matchAll(/iov_len=(\d+)/g)) sum += Number(m[1]);
    return sum;
  }
  // ", <buffer>, COUNT" — the buffer is a string (maybe cut, with "...") or an address; sendfile: the last number.
  if (syscall.startsWith('sendfile')) {
    const nums = args.match(/(\d+)\s*$/);
    return nums ? Number(nums[1]) : 0;
  }
  const m = /^, (?:"[^"]*"(?:\.\.\.)?|0x[0-9a-f]+|NULL), (\d+)/.exec(args);
  return m ? Number(m[1]) : 0;
}

export class StraceLineParser {
  /** Per thread, the first half of a call that has not finished yet. */
  private readonly pending = new Map<number, string>();

  constructor(private readonly mainPid: number) {}

  /** One line of strace's output; null when it is no call of ours (signals, exits, other fds). */
  push(line: string): TraceCall | null {
    let tid = this.mainPid;
    const prefix = PID_PREFIX.exec(line);
    if (prefix) {
      tid = Number(prefix[1]);
      line = line.slice(prefix[0].length);
    }
    if (line.endsWith(UNFINISHED)) {
      if (this.pending.size < 4096) this.pending.set(tid, line.slice(0, -UNFINISHED.length));
      return null;
    }
    const resumed = RESUMED.exec(line);
    if (resumed) {
      const head = this.pending.get(tid);
      this.pending.delete(tid);
      if (head === undefined) return headlessAccept(tid, resumed[1]!, resumed[2]!);
      line = head + resumed[2]!;
    }
    return parseCall(tid, line);
  }
}

/**
 * The second half of a call whose first half strace never printed: it attached while the call was under
 * way (an accept blocked in the kernel when the watch began, returning as strace took hold). Only an accept
 * matters then: what it returned is a connection accepted under watch, so its first call is no mid-stream
 * pickup. Other calls are dropped, as before.
 */
function headlessAccept(tid: number, syscall: string, tail: string): TraceCall | null {
  if (syscall !== 'accept' && syscall !== 'accept4') return null;
  const m = /\)\s+=\s+(\d+)(?:<.*>)?$/.exec(tail);
  return m ? { kind: 'accept', tid, fd: Number(m[1]) } : null;
}

export function parseCall(tid: number, line: string): TraceCall | null {
  const m = CALL.exec(line);
  if (!m) return null;
  const syscall = m[1]!;
  const fd = Number(m[2]);
  const tuple = m[3] ? parseStraceSocket(m[3]) : null;
  const args = m[4]!;
  const ret = Number(m[5]);
  const errno = m[6];
  if (syscall === 'close') return { kind: 'close', tid, fd, read: null, write: null };
  if (syscall === 'accept' || syscall === 'accept4') return ret >= 0 ? { kind: 'accept', tid, fd: ret } : null;
  const isRead = READS.has(syscall);
  if (!isRead && !WRITES.has(syscall)) return null;
  if (ret < 0) {
    if (errno === 'EAGAIN' || errno === 'EWOULDBLOCK') return isRead ? { kind: 'wouldBlock', tid, fd, syscall, tuple } : null;
    return { kind: 'error', tid, fd, errno: errno ?? 'EIO', syscall, tuple };
  }
  if (ret === 0) return null;
  return {
    kind: isRead ? 'read' : 'write',
    tid,
    fd,
    ret,
    requested: requestedOf(syscall, args),
    syscall,
    preview: stringBytes(args),
    totals: null,
    tuple,
  };
}
