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

/**
 * `pid`, where given (eBPF), is the process whose fd `fd` is: a followed server may fork workers, and a
 * restart brings a new process, so fds are told apart by process. strace traces one process: no pid.
 */
export type TraceCall =
  | {
      /** A call that moved data: `ret` bytes of the `requested`; `preview` holds its first bytes. */
      kind: 'read' | 'write';
      tid: number;
      pid?: number;
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
  | { kind: 'error'; tid: number; pid?: number; fd: number; errno: string; syscall: string; tuple: SocketTuple | null }
  | {
      kind: 'close';
      tid: number;
      pid?: number;
      fd: number;
      /** Final kernel totals per direction (eBPF), or null (strace: every call was seen). */
      read: FdTotals | null;
      write: FdTotals | null;
    }
  | { kind: 'accept'; tid: number; fd: number }
  /** eBPF found `fd` to be a connection on the watched port; `fresh` when it was just accepted. */
  | { kind: 'socket'; tid: number; pid?: number; fd: number; fresh: boolean; tuple: SocketTuple }
  /** The kernel's totals of a connection some of whose calls were counted but not shown (eBPF's detail budget). */
  | { kind: 'totals'; pid: number; fd: number; read: FdTotals; write: FdTotals }
  /** A process began listening on the watched port (eBPF follows it from then on: a restart). */
  | { kind: 'listen'; pid: number }
  /** A followed process exited (eBPF). */
  | { kind: 'exit'; pid: number }
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
