// Parses one line of the bpftrace program's output (bpftrace-script.ts) into a TraceCall. Pure: no I/O,
// property-tested against the script's line format.
import { CALL_NAMES } from './bpftrace-script.ts';
import { ERRNO_NAMES, type TraceCall } from './trace-call.ts';

const LOST = /^Lost (\d+) events/;
/** One entry of print(@t): `@t[PID, FD]: (RCALLS, RBYTES, WCALLS, WBYTES, EAGAINS)`. */
const TOTALS = /^@t\[(\d+), (\d+)\]: \((\d+), (\d+), (\d+), (\d+), (\d+)\)$/;

/** Undoes bpftrace's %r: `\xNN` is a byte, `\\` a backslash, anything else stands for itself. */
export function unescapeR(text: string): Buffer {
  const out = Buffer.allocUnsafe(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x5c && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next === 0x78 && i + 3 < text.length) {
        out[n++] = parseInt(text.slice(i + 2, i + 4), 16);
        i += 3;
        continue;
      }
      if (next === 0x5c) {
        out[n++] = 0x5c;
        i += 1;
        continue;
      }
    }
    out[n++] = ch & 0xff;
  }
  return out.subarray(0, n);
}

/** The inverse, as bpftrace writes it (for tests): printable ASCII but `\` as is, the rest as \xNN. */
export function escapeR(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    if (b === 0x5c) s += '\\\\';
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += '\\x' + b.toString(16).padStart(2, '0');
  }
  return s;
}

/** The first `count` space-separated fields and the rest of the line (the preview, which may hold spaces). */
function fields(line: string, count: number): { f: number[]; rest: string } | null {
  const f: number[] = [];
  let pos = 2;
  for (let k = 0; k < count; k++) {
    let end = line.indexOf(' ', pos);
    if (end < 0) end = line.length;
    const v = Number(line.slice(pos, end));
    if (end <= pos || !Number.isSafeInteger(v)) return null;
    f.push(v);
    pos = end + 1;
  }
  return { f, rest: pos <= line.length ? line.slice(pos) : '' };
}

/** null for lines that are not calls (the heartbeat, bpftrace's own messages). */
export function parseBpftraceLine(line: string): TraceCall | null {
  const tag = line.charCodeAt(0);
  if (line.charCodeAt(1) !== 0x20) {
    if (tag === 0x40) return totalsLine(line);
    const lost = LOST.exec(line);
    return lost ? { kind: 'lost', count: Number(lost[1]) } : null;
  }
  switch (tag) {
    case 0x72: // r
    case 0x77: {
      // w
      const p = fields(line, 8);
      if (!p) return null;
      const [tid, fd, ret, requested, calls, bytes, wouldBlock, code] = p.f as [number, number, number, number, number, number, number, number];
      return {
        kind: tag === 0x72 ? 'read' : 'write',
        tid,
        pid: tid,
        fd,
        ret,
        requested,
        syscall: CALL_NAMES[code] ?? 'unknown',
        preview: unescapeR(p.rest),
        totals: { calls, bytes, wouldBlock },
        tuple: null,
      };
    }
    case 0x78: {
      // x
      const p = fields(line, 4);
      if (!p) return null;
      const [tid, fd, errno, code] = p.f as [number, number, number, number];
      return { kind: 'error', tid, pid: tid, fd, errno: ERRNO_NAMES[errno] ?? `E${errno}`, syscall: CALL_NAMES[code] ?? 'unknown', tuple: null };
    }
    case 0x63: {
      // c
      const p = fields(line, 7);
      if (!p) return null;
      const [tid, fd, rc, rb, wc, wb, ea] = p.f as [number, number, number, number, number, number, number];
      return { kind: 'close', tid, pid: tid, fd, read: { calls: rc, bytes: rb, wouldBlock: ea }, write: { calls: wc, bytes: wb, wouldBlock: 0 } };
    }
    case 0x6e: {
      // n
      const p = fields(line, 5);
      if (!p) return null;
      const [tid, fd, fresh, localPort, remotePort] = p.f as [number, number, number, number, number];
      const [local, remote] = p.rest.split(' ');
      if (!local || !remote) return null;
      return { kind: 'socket', tid, pid: tid, fd, fresh: fresh === 1, tuple: { localAddress: unmap(local), localPort, remoteAddress: unmap(remote), remotePort } };
    }
    case 0x70: // p
    case 0x65: {
      // e
      const p = fields(line, 1);
      if (!p || p.rest !== '') return null;
      return { kind: tag === 0x70 ? 'listen' : 'exit', pid: p.f[0]! };
    }
    default:
      return null;
  }
}

function totalsLine(line: string): TraceCall | null {
  const m = TOTALS.exec(line);
  if (!m) return null;
  const [pid, fd, rc, rb, wc, wb, ea] = m.slice(1).map(Number) as [number, number, number, number, number, number, number];
  return { kind: 'totals', pid, fd, read: { calls: rc, bytes: rb, wouldBlock: ea }, write: { calls: wc, bytes: wb, wouldBlock: 0 } };
}

/** ::ffff:127.0.0.1 (an IPv4 peer on a dual-stack socket) is spelled 127.0.0.1, as everywhere else. */
function unmap(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
