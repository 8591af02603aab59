// The capture service on a thread of its own (capture-worker.ts), behind the same interface as the
// in-thread one. Measured at buffer 1024, reply none, capture on: reading and parsing tcpdump's stream on
// the echo's thread cost it 0.17 µs of user and 0.14 µs of system time per 1 KiB read (its 22,000
// frames a second); on the capture thread that time comes from the second core, which the echo leaves
// mostly idle. The main thread keeps a copy of the state as last heard; counts, pcap files and
// "listening" are asked for.
import { Worker } from 'node:worker_threads';
import { NO_CAPTURE_REASON } from '../../shared/limits.ts';
import type { CaptureState } from '../../shared/wire.ts';
import { samePorts, type CaptureService, type CaptureServiceOptions } from './capture-service.ts';
import { DEFAULT_GATE_OPTIONS } from './segment-gate.ts';
import type { CaptureQuery, CaptureThreadOptions, FromCaptureThread, ToCaptureThread } from './capture-thread-protocol.ts';

type Pending = { resolve(value: FromCaptureThreadAnswer): void };
type FromCaptureThreadAnswer = Extract<FromCaptureThread, { type: 'answer' }>['value'];
/** A question without its id (ask() gives it one), each kind of it on its own. */
type WithoutId<Q> = Q extends unknown ? Omit<Q, 'id'> : never;
type Question = WithoutId<CaptureQuery>;

/**
 * The worker: the compiled file next to this one (npm start), or, when the sources run (tests), a line
 * that registers tsx in the new thread and imports the source: hooks registered on one thread do not
 * reach another.
 */
function startWorker(workerData: unknown): Worker {
  // Not tracked: Node would close at the thread's exit every descriptor the thread opened with fs, by
  // number, even one the FIFO's socket closed long before and the main thread has since been given for a
  // connection of its own. The capture closes its own descriptors when it stops.
  const options = { workerData, trackUnmanagedFds: false };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./capture-worker.js', import.meta.url), options);
  const source = new URL('./capture-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

/**
 * How long a stop waits for the thread's answer. Its tcpdump's own stop ends within the signal's grace
 * (1.5 s, then tcpdump is killed and the stream ends with it), so past this the thread is stuck and is
 * ended without it; well inside main.ts's 4.5 s guard on a whole shutdown.
 */
export const CAPTURE_THREAD_STOP_MS = 3000;

export function createCaptureThread(opts: CaptureServiceOptions): CaptureService {
  const { emit, onStateChange, ...rest } = opts;
  const options: CaptureThreadOptions = rest;
  const ports = new Set<number>([opts.port, ...(opts.watchedPorts ?? [])]);
  let state: CaptureState = {
    active: false,
    reason: opts.enabled ? 'capture not started' : NO_CAPTURE_REASON,
    framesSeen: 0,
    framesMalformed: 0,
    framesUnmatched: 0,
    restarts: 0,
    framesDropped: 0,
    segmentsSummarized: 0,
    summarizedByConn: [],
    detailSegmentsPerSec: opts.gateOptions?.ratePerSec ?? DEFAULT_GATE_OPTIONS.ratePerSec,
    ports: [...ports],
    filterChanges: 0,
    handoverDuplicates: 0,
    eventsShed: 0,
  };
  const inFlight = new SharedArrayBuffer(4);
  const unread = new Int32Array(inFlight);
  const worker = startWorker({ options, inFlight });
  // The server's own handles keep the process alive; a capture thread left running must not.
  worker.unref();
  let alive = true;
  let stopped: Promise<void> | null = null;
  let nextId = 1;
  const waiting = new Map<number, Pending>();

  worker.on('message', (m: FromCaptureThread) => {
    switch (m.type) {
      case 'events':
        // Taken in first: the count of batches in flight must not depend on what the store does with them.
        Atomics.sub(unread, 0, 1);
        state = m.state;
        for (let i = 0; i < m.events.length; i++) emit(m.events[i]!);
        break;
      case 'state':
        state = m.state;
        onStateChange?.(state);
        break;
      case 'answer': {
        const w = waiting.get(m.id);
        waiting.delete(m.id);
        w?.resolve(m.value);
        break;
      }
    }
  });
  // A failing capture thread costs the wire view, never the server: its state says why.
  const ended = (why: string): void => {
    if (!alive) return;
    alive = false;
    state = { ...state, active: false, reason: why };
    for (const w of waiting.values()) w.resolve(null);
    waiting.clear();
    onStateChange?.(state);
  };
  worker.on('error', (err) => ended(`the capture thread failed: ${err.message}`));
  worker.on('exit', (code) => ended(`the capture thread exited (code ${code})`));

  const send = (m: ToCaptureThread): void => {
    if (alive) worker.postMessage(m);
  };
  function ask(q: Question): Promise<FromCaptureThreadAnswer> {
    if (!alive) return Promise.resolve(null);
    const id = nextId++;
    return new Promise((resolve) => {
      waiting.set(id, { resolve });
      worker.postMessage({ ...q, id });
    });
  }

  return {
    start: () => send({ type: 'start' }),
    stop() {
      stopped ??= (async () => {
        // Its tcpdump is stopped and its last events are in (they come before the answer); then it goes. A
        // thread that does not answer in time goes anyway: a shutdown never waits on the capture.
        let bound: NodeJS.Timeout | undefined;
        await Promise.race([ask({ type: 'stop' }), new Promise((resolve) => (bound = setTimeout(resolve, CAPTURE_THREAD_STOP_MS)))]);
        clearTimeout(bound);
        alive = false;
        await worker.terminate();
      })();
      return stopped;
    },
    notifyOpen(conn) {
      // The tuple alone: a connection row may carry more than a thread can be sent.
      const { id, localAddress, localPort, remoteAddress, remotePort } = conn;
      send({ type: 'open', conn: { id, localAddress, localPort, remoteAddress, remotePort } });
    },
    notifyClose: (connId) => send({ type: 'close', connId }),
    notifyActivity: () => send({ type: 'activity' }),
    state: () => state,
    async stateNow() {
      const s = await ask({ type: 'state' });
      if (s !== null && typeof s === 'object' && !(s instanceof Uint8Array)) state = s;
      return state;
    },
    async pcapFor(connId) {
      const p = await ask({ type: 'pcap', connId });
      return p instanceof Uint8Array ? p : undefined;
    },
    async whenListening() {
      return (await ask({ type: 'listening' })) === true;
    },
    forget: (connId) => send({ type: 'forget', connId }),
    async sampleNow() {
      await ask({ type: 'sample' });
    },
    setWatchedPorts(list) {
      const next = new Set<number>([opts.port, ...list]);
      if (samePorts(next, ports)) return;
      ports.clear();
      for (const p of next) ports.add(p);
      send({ type: 'ports', ports: [...list] });
    },
    ports: () => [...ports],
  };
}
