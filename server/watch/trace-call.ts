// What a tracer reports, whichever the mechanism: the parsers (bpftrace-line.ts, strace-line.ts) produce
// these, the call tracker consumes them. Imports nothing of either side.

/** A traced TCP endpoint pair as the server sees it (local = the server's end). */
export interface SocketTuple {
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
}

/** The fd's running totals as counted in the kernel (eBPF only): exact even when lines were lost. */
export interface FdTotals {
  calls: number;
  bytes: number;
  wouldBlock: number;
}

export type TraceCall =
  | {
      /** A call that moved data: `ret` bytes of the `requested`; `preview` holds its first bytes. */
      kind: 'read' | 'write';
      tid: number;
      fd: number;
      ret: number;
      requested: number;
      syscall: string;
      preview: Buffer;
      totals: FdTotals | null;
      /** strace names the socket on every line (-yy); eBPF leaves it to /proc. */
      tuple: SocketTuple | null;
    }
  | { kind: 'wouldBlock'; tid: number; fd: number; syscall: string; tuple: SocketTuple | null }
  | { kind: 'error'; tid: number; fd: number; errno: string; syscall: string; tuple: SocketTuple | null }
  | {
      kind: 'close';
      tid: number;
      fd: number;
      /** Final kernel totals per direction (eBPF), or null (strace: every call was seen). */
      read: FdTotals | null;
      write: FdTotals | null;
    }
  | { kind: 'accept'; tid: number; fd: number }
  /** eBPF found `fd` to be a connection on the watched port; `fresh` when it was just accepted. */
  | { kind: 'socket'; tid: number; fd: number; fresh: boolean; tuple: SocketTuple }
  /** The tracer could not hand over this many lines (eBPF's output buffer overflowed). */
  | { kind: 'lost'; count: number };

/** errno numbers bpftrace prints, as the names strace prints and close reasons use. */
export const ERRNO_NAMES: Record<number, string> = {
  32: 'EPIPE',
  104: 'ECONNRESET',
  110: 'ETIMEDOUT',
  9: 'EBADF',
  4: 'EINTR',
  107: 'ENOTCONN',
};
