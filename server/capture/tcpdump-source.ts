// Runs the capture program (tcpdump writing pcap to its stdout), feeds its bytes to the pcap reader,
// restarts it with exponential backoff when it dies, and says in plain words why capture is off and
// what turns it on. Nothing here throws at the caller: a missing or failing tcpdump leaves tcpscope
// working, without the wire view.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync } from 'node:fs';
import { Socket } from 'node:net';
import { openCaptureFifo } from './capture-fifo.ts';
import { dieWithParent, KILL_PROGRAM_SIGNAL, PIPE_SIZE_LINE, spawnErrorOf } from './die-with-parent.ts';
import { EVENT_HEX_MAX_BYTES } from '../../shared/limits.ts';
import { createPcapReader, type PcapRecord } from './pcap-reader.ts';
import { isStartMarker, sendStartMarker, withStartMarker } from './start-marker.ts';
import { readIntoUserBuffer } from '../echo/socket-internals.ts';

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Consecutive failed runs after which it stops trying. */
  maxAttempts: number;
  /** A run that captured this long counts as a success: the next failure starts the backoff afresh. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, maxAttempts: 10, stableMs: 30_000 };

export interface TcpdumpSourceOptions {
  /** The server ports to capture (the echo port, and any watched ones). */
  port: number | readonly number[];
  /** The interface to capture on: lo carries all loopback traffic, IPv4 and IPv6. */
  iface?: string;
  /** argv of the capture program, replacing tcpdump's (tests use it to simulate failures). */
  command?: string[];
  /** Each frame as it is read; `record.data` is valid only during the call (the pipe is read into a reused buffer). */
  onRecord(record: PcapRecord, linkType: number): void;
  /** Called after every change of state(). */
  onChange?(): void;
  backoff?: Partial<BackoffOptions>;
  /** Read the program's stream from a FIFO (the default, see capture-fifo.ts); false: from its stdout socket pair. */
  fifo?: boolean;
  /**
   * Send the start marker once the program listens, skip it in the stream, and count a first frame that
   * came before it as dropped (see start-marker.ts). The default: with tcpdump's own command on lo.
   */
  startMarker?: boolean;
}

export interface SourceState {
  active: boolean;
  reason: string | null;
  restarts: number;
  /**
   * Packets the kernel dropped because tcpdump's buffer was full (tcpscope busy, the pipe full), over all runs;
   * and the first frame of a run, should a real one come before the start marker (start-marker.ts).
   */
  droppedByKernel: number;
}

export interface SourceStats {
  /** The size of the pipe the current (or last) run writes into, as the wrapper reported it; 0: not known, or no pipe. */
  pipeBytes: number;
  /** Reads that emptied the pipe and were followed by a nap, over all runs. */
  naps: number;
}

export interface TcpdumpSource {
  start(): void;
  stop(): Promise<void>;
  state(): SourceState;
  /** How the stream is read: for tests and measurements, not part of the capture state. */
  stats(): SourceStats;
  /** Resolves true once the program listens (ready to capture), false once it will not (gave up, stopped). */
  whenListening(): Promise<boolean>;
}

export const SETCAP_HINT = 'setcap cap_net_raw,cap_net_admin=eip $(command -v tcpdump)';
export const INSTALL_HINT = 'apt-get install -y tcpdump';
const STDERR_KEPT = 2048;
/** How often tcpdump is asked (SIGUSR1) for its counts, to learn how many packets the kernel dropped. */
const STATS_EVERY_MS = 1000;
const STATS_LINE = /(\d+) packets? dropped by kernel/g;
/** A stop: SIGTERM to the sh, again every STOP_RESEND_MS; at STOP_GRACE_MS the sh SIGKILLs the program; at STOP_LAST_MS the sh is killed. */
const STOP_RESEND_MS = 100;
const STOP_GRACE_MS = 1500;
const STOP_LAST_MS = 2000;
/** tcpdump's stream is read into one buffer of this size, reused: no allocation per pipe read (see run()). */
const PIPE_READ_BYTES = 128 * 1024;
/**
 * The size asked for the FIFO tcpdump writes into (die-with-parent.ts sets it), instead of Linux's 64 KiB.
 * With -U tcpdump writes once per packet, and each write into an empty pipe wakes the thread that reads it:
 * at buffer 65536, reply ack, that was 19,000 wake-ups a second, each taking a core from the echo or its client
 * on a two-core machine. A pipe of 1 MiB lets the reader nap instead (PIPE_NAP_MS) while packets gather.
 */
export const CAPTURE_PIPE_BYTES = 1024 * 1024;
/**
 * After a read that emptied the pipe, reading waits this long, if the capture has caught up (NAP_CAUGHT_UP_MS).
 * Only with a pipe of at least NAP_MIN_PIPE_BYTES: a 64 KiB pipe would stall tcpdump, and the kernel would drop
 * what it cannot take. At first the nap was 1 ms: at buffer 65536, reply ack, the capture thread's wake-ups went
 * from 19,000 to 1,200 a second, its CPU from 27% to 16% of a core. At 20 ms the fastest stream fills the pipe
 * in about 9 ms and tcpdump waits on it for the rest: while it waits it sleeps on no packet, so the kernel
 * queues packets in its buffer without waking it (a wake-up per packet, often on the echo's thread).
 * Interleaved runs at buffer 65536, reply ack: 1.14 and 1.19 times the throughput of the 1 ms nap (1.23 with
 * NAP_CAUGHT_UP_MS at 20), no frame dropped.
 */
const PIPE_NAP_MS = 20;
/**
 * The capture has caught up when the newest frame read is younger than this. Behind (tcpdump still working
 * through what queued in its kernel buffer during a nap), it reads on without a nap, so what queues stays
 * within about PIPE_NAP_MS + NAP_CAUGHT_UP_MS of packets, far inside CAPTURE_KERNEL_BUFFER_KIB. A 20 ms nap
 * whatever the lag dropped 28% of the frames of that stream: each nap let one pipe's worth through.
 */
const NAP_CAUGHT_UP_MS = 10;
const NAP_MIN_PIPE_BYTES = 512 * 1024;
/** After the program exits, how long its stream may take to deliver what is still in it before it is let go. */
const STREAM_END_GRACE_MS = 2000;

/**
 * Bytes of each frame tcpdump hands over: every header (link, IP with options or extension headers, TCP
 * with options) plus the EVENT_HEX_MAX_BYTES of payload an event can show. Loopback segments carry up to
 * 64 KiB; copying all of it through a pipe into the server would cost more than the echo itself, for
 * bytes no view shows. The pcap export keeps the same cut, which Wireshark marks as such.
 */
export const CAPTURE_SNAPLEN = EVENT_HEX_MAX_BYTES + 256;

/**
 * tcpdump's kernel buffer (`-B`, KiB; tcpdump's memory, not ours): while our thread is busy for a moment the
 * packets wait there instead of being dropped (2 MiB, the default, dropped 2% of the frames of a stream at
 * buffer 1024, reply echo; 16 MiB none). Immediate mode gives each packet a slot of the snapshot length
 * whatever its size, so 32 MiB is about 7,500 frames: the largest burst from the page (1,000 writes of 64 KiB
 * at buffer 1024, ~60,000 frames in half a second) with a page drawing it lost frames in 3 of 6 tries with
 * 16 MiB (up to 3,444), in none of 4 with 32 MiB. Rarer, not impossible: 3 of 15 later bursts lost some.
 * (Those tries were before the filter said `inbound`: each packet's leaving copy took a slot as well.)
 */
export const CAPTURE_KERNEL_BUFFER_KIB = 32 * 1024;

/**
 * The kernel filter: the echo port alone as before, or it and the watched ports. On lo, arriving packets
 * only, and the start marker (start-marker.ts).
 */
export function captureFilter(ports: number | readonly number[], iface = 'lo'): string {
  const list = typeof ports === 'number' ? [ports] : ports;
  const tcp = list.length === 1 ? `tcp port ${list[0]}` : `tcp and (${list.map((p) => `port ${p}`).join(' or ')})`;
  return iface === 'lo' ? withStartMarker(tcp) : tcp;
}

export function tcpdumpCommand(ports: number | readonly number[], iface = 'lo'): string[] {
  // -U and --immediate-mode: hand over each packet at once, not when a buffer fills.
  // -n: no name lookups. -B: see CAPTURE_KERNEL_BUFFER_KIB.
  return ['tcpdump', '-i', iface, '-U', '--immediate-mode', '-B', String(CAPTURE_KERNEL_BUFFER_KIB), '-n', '-s', String(CAPTURE_SNAPLEN), '-w', '-', captureFilter(ports, iface)];
}

export function createTcpdumpSource(opts: TcpdumpSourceOptions): TcpdumpSource {
  const backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
  const argv = opts.command ?? tcpdumpCommand(opts.port, opts.iface);
  const isTcpdump = /(^|\/)tcpdump$/.test(argv[0] ?? '');
  const marks = opts.startMarker ?? (opts.command === undefined && (opts.iface ?? 'lo') === 'lo');
  const name = isTcpdump ? 'tcpdump' : `the capture program (${argv[0]})`;
  const st: SourceState = { active: false, reason: 'capture not started', restarts: 0, droppedByKernel: 0 };
  const stats: SourceStats = { pipeBytes: 0, naps: 0 };
  let child: ChildProcess | null = null;
  /** Resolves once the current program has exited and its stream has been read to the end. */
  let childDone: Promise<void> = Promise.resolve();
  let stopping = false;
  let failures = 0;
  let retryTimer: NodeJS.Timeout | null = null;
  let listeners: ((ok: boolean) => void)[] = [];
  let settled: boolean | null = null;

  function set(active: boolean, reason: string | null): void {
    st.active = active;
    st.reason = reason;
    opts.onChange?.();
  }

  function settle(ok: boolean): void {
    settled = ok;
    const ls = listeners;
    listeners = [];
    for (const l of ls) l(ok);
  }

  function giveUp(reason: string): void {
    set(false, reason);
    settle(false);
  }

  function run(): void {
    // The pipe carries every captured frame (tens of MB/s under a flood). Read the usual way, each read
    // is a fresh 64 KiB buffer: page faults, and external memory that drives major GCs on the thread
    // that also serves the echo. So it is read like the echo server's sockets, into one reused buffer;
    // the reader copies the little it holds between reads, and onRecord copies what it keeps.
    const reader = createPcapReader();
    const pipeBuffer = Buffer.allocUnsafe(PIPE_READ_BYTES);
    let stderr = '';
    let listeningAt: number | null = null;
    let spawnError: NodeJS.ErrnoException | null = null;
    let unreadable = false;
    // Under a watcher that kills it when our end of its stdin pipe closes: it dies with us (die-with-parent.ts).
    const fifo = opts.fifo === false ? null : openCaptureFifo();
    const [file, args] = dieWithParent(argv, { pipeBytes: fifo !== null ? CAPTURE_PIPE_BYTES : 0 });
    stats.pipeBytes = 0;
    let proc: ChildProcess;
    try {
      proc = spawn(file, args, { stdio: ['pipe', fifo?.writeFd ?? 'pipe', 'pipe'] });
    } catch (err) {
      if (fifo !== null) closeSync(fifo.readFd);
      throw err;
    } finally {
      // The program holds its end now: once it (and the sh around it) exit, our end reads to EOF.
      if (fifo !== null) closeSync(fifo.writeFd);
    }
    const stream = fifo !== null ? new Socket({ fd: fifo.readFd, readable: true, writable: false }) : (proc.stdout as Socket);
    stream.on('error', () => stream.destroy());
    const streamClosed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
    proc.stdin!.on('error', () => {});
    child = proc;
    // The kernel drops what tcpdump cannot take while its pipe is full: tcpdump's counts say how many.
    const droppedBefore = st.droppedByKernel;
    // Only once it listens: by then tcpdump has set its SIGUSR1 handler (before, the signal would end it).
    const statsTimer = isTcpdump ? setInterval(() => listeningAt !== null && proc.exitCode === null && proc.kill('SIGUSR1'), STATS_EVERY_MS) : null;
    statsTimer?.unref();

    const markListening = (): void => {
      if (listeningAt !== null) return;
      listeningAt = Date.now();
      if (marks) sendStartMarker();
      set(true, null);
      settle(true);
    };
    // Until the first frame of this run: whether it was the marker (see start-marker.ts).
    let firstFrame = marks;
    let lostAtStart = 0;

    proc.on('error', (e: NodeJS.ErrnoException) => {
      spawnError = e;
    });
    proc.stderr!.setEncoding('utf8');
    proc.stderr!.on('data', (s: string) => {
      if (stats.pipeBytes === 0) {
        const pipe = PIPE_SIZE_LINE.exec(s);
        if (pipe !== null) stats.pipeBytes = Number(pipe[1]);
      }
      stderr = (stderr + s).slice(-STDERR_KEPT);
      if (/listening on /.test(stderr)) markListening();
      const before = st.droppedByKernel;
      for (const m of s.matchAll(STATS_LINE)) st.droppedByKernel = droppedBefore + lostAtStart + Number(m[1]);
      // Asked for once a second: the page hears of new drops at most that often.
      if (st.droppedByKernel !== before) opts.onChange?.();
    });
    // The nap (see PIPE_NAP_MS): one timer, re-armed (refresh() works on a timer that has fired, not on a
    // cleared one), so a nap allocates nothing.
    let napTimer: NodeJS.Timeout | null = null;
    const wake = (): void => void stream.resume();
    void streamClosed.then(() => napTimer !== null && clearTimeout(napTimer));
    /** The capture time (ms since the epoch) of the newest frame read: how far behind the capture is. */
    let newestT = 0;
    readIntoUserBuffer(stream, pipeBuffer, (nread, buf) => {
      const records = reader.push(buf.subarray(0, nread));
      if (records.length > 0) newestT = records[records.length - 1]!.t;
      // The clock is read only after a short read: the last test, as only a nap needs it.
      if (nread < buf.length && stats.pipeBytes >= NAP_MIN_PIPE_BYTES && !stream.isPaused() && Date.now() - newestT < NAP_CAUGHT_UP_MS) {
        stats.naps++;
        stream.pause();
        if (napTimer === null) napTimer = setTimeout(wake, PIPE_NAP_MS).unref();
        else napTimer.refresh();
      }
      const header = reader.header();
      if (header !== null) markListening();
      for (const r of records) {
        if (marks && isStartMarker(header!.linkType, r.data)) {
          firstFrame = false;
          continue;
        }
        if (firstFrame) {
          firstFrame = false;
          lostAtStart = 1;
          st.droppedByKernel++;
          opts.onChange?.();
        }
        opts.onRecord(r, header!.linkType);
      }
      const err = reader.error();
      if (err !== null && !unreadable && !stopping) {
        unreadable = true;
        stderr += `\nunreadable capture stream: ${err}`;
        proc.kill('SIGTERM');
      }
    });
    // Done once the program exited and its stream was read to the end (a socket pair's end comes before
    // 'close'; a FIFO's may come after it), so that no frame it captured is lost to a restart or a stop.
    childDone = new Promise<void>((resolve) => {
      proc.on('close', (code, signal) => {
        const cap = setTimeout(() => stream.destroy(), STREAM_END_GRACE_MS);
        void streamClosed.then(() => {
          clearTimeout(cap);
          onExit(code, signal);
          resolve();
        });
      });
    });
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (statsTimer !== null) clearInterval(statsTimer);
      if (child === proc) child = null;
      if (stopping) return;
      if (listeningAt === null) spawnError ??= spawnErrorOf(code, argv[0]!);
      const lastLine =
        stderr
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== '' && !/^\d+ packets? /.test(l) && !/packets? dropped by kernel/.test(l) && !PIPE_SIZE_LINE.test(l))
          .at(-1) ?? '';
      if (spawnError !== null) {
        if (spawnError.code === 'ENOENT') {
          giveUp(isTcpdump ? `tcpdump is not installed: run \`${INSTALL_HINT}\`` : `${name} was not found (${spawnError.message})`);
        } else if (spawnError.code === 'EACCES') {
          giveUp(`${name} may not be run (${spawnError.message})`);
        } else giveUp(`${name} could not be started: ${spawnError.message}`);
        return;
      }
      const denied = stderr.split('\n').find((l) => /permission|not permitted/i.test(l));
      if (denied !== undefined) {
        giveUp(`${name} lacks the privilege to capture (${denied.trim()}): run \`${SETCAP_HINT}\` or start tcpscope as root`);
        return;
      }
      const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
      const why = `${name} ${how}${lastLine === '' ? '' : `: ${lastLine}`}`;
      if (listeningAt !== null && Date.now() - listeningAt >= backoff.stableMs) failures = 0;
      failures++;
      if (failures > backoff.maxAttempts) {
        giveUp(`${why}; gave up after ${backoff.maxAttempts} restarts`);
        return;
      }
      const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** (failures - 1));
      set(false, `${why}; restarting in ${delay} ms (attempt ${failures} of ${backoff.maxAttempts})`);
      retryTimer = setTimeout(() => {
        retryTimer = null;
        if (stopping) return;
        st.restarts++;
        run();
      }, delay);
    };
  }

  return {
    state: () => ({ ...st }),
    stats: () => ({ ...stats }),
    whenListening() {
      if (settled !== null) return Promise.resolve(settled);
      return new Promise((resolve) => listeners.push(resolve));
    },
    start() {
      if (child !== null || retryTimer !== null) return;
      stopping = false;
      failures = 0;
      settled = null;
      set(false, `waiting for ${name} to start listening`);
      run();
    },
    async stop() {
      stopping = true;
      if (retryTimer !== null) clearTimeout(retryTimer);
      retryTimer = null;
      const proc = child;
      if (proc !== null) {
        const done = childDone;
        const running = (): boolean => proc.exitCode === null && proc.signalCode === null;
        if (running()) {
          proc.stdin?.destroy(); // the watcher's cue, should the SIGTERM below not reach tcpdump
          proc.kill('SIGTERM');
        }
        // A SIGTERM can be lost: one that reaches the sh's child between its fork and its exec runs the sh's
        // trap there, and the exec forgets it. So it is sent again until the sh is gone. Past the grace the sh
        // is asked to SIGKILL the program (SIGKILL to the sh alone would leave the program holding our
        // pipes), and past a second one the sh itself is killed.
        const again = setInterval(() => running() && proc.kill('SIGTERM'), STOP_RESEND_MS);
        const force = setTimeout(() => running() && proc.kill(KILL_PROGRAM_SIGNAL), STOP_GRACE_MS);
        const last = setTimeout(() => running() && proc.kill('SIGKILL'), STOP_LAST_MS);
        await done;
        clearInterval(again);
        clearTimeout(force);
        clearTimeout(last);
      }
      child = null;
      set(false, 'capture stopped');
      settle(false);
    },
  };
}
