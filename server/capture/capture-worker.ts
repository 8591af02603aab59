// The capture thread: runs the capture service (tcpdump's pipe, pcap records, the gate, the frame
// store, ss's samples) away from the echo's thread, and hands its events over in batches. Started by
// capture-thread.ts, which speaks for it on the main thread; what they say is capture-thread-protocol.ts.
import { parentPort, workerData } from 'node:worker_threads';
import type { CaptureState, UnsequencedWireEvent } from '../../shared/wire.ts';
import { createCaptureService } from './capture-service.ts';
import {
  CAPTURE_THREAD_BATCH_MS,
  CAPTURE_THREAD_BATCHES_IN_FLIGHT,
  CAPTURE_THREAD_PENDING_EVENTS,
  type CaptureQuery,
  type CaptureThreadOptions,
  type FromCaptureThread,
  type ToCaptureThread,
} from './capture-thread-protocol.ts';

const port = parentPort!;
const { options, inFlight } = workerData as { options: CaptureThreadOptions; inFlight: SharedArrayBuffer };
/** Batches sent and not yet taken in: the main thread counts them down. */
const unread = new Int32Array(inFlight);

let pending: UnsequencedWireEvent[] = [];
let shed = 0;
let lastSentAt = -Infinity;
let timer: NodeJS.Timeout | NodeJS.Immediate | null = null;

const post = (m: FromCaptureThread): void => port.postMessage(m);
const stateNow = (): CaptureState => ({ ...svc.state(), eventsShed: shed });

const svc = createCaptureService({
  ...options,
  emit(ev) {
    if (pending.length >= CAPTURE_THREAD_PENDING_EVENTS) {
      shed++;
      return;
    }
    pending.push(ev);
    schedule();
  },
  onStateChange() {
    flush(true);
    post({ type: 'state', state: stateNow() });
  },
});

/** After a quiet spell the first event goes at once; under load a batch at most every CAPTURE_THREAD_BATCH_MS. */
function schedule(): void {
  if (timer !== null) return;
  const wait = lastSentAt + CAPTURE_THREAD_BATCH_MS - performance.now();
  timer = wait <= 0 ? setImmediate(() => flush(false)) : setTimeout(() => flush(false), wait);
}

/** Sends what is gathered. `force`: even past the batches in flight (before an answer or a state, which must not overtake events). */
function flush(force: boolean): void {
  if (timer !== null) {
    clearTimeout(timer as NodeJS.Timeout);
    clearImmediate(timer as NodeJS.Immediate);
    timer = null;
  }
  if (pending.length === 0) return;
  if (!force && Atomics.load(unread, 0) >= CAPTURE_THREAD_BATCHES_IN_FLIGHT) {
    timer = setTimeout(() => flush(false), CAPTURE_THREAD_BATCH_MS);
    return;
  }
  Atomics.add(unread, 0, 1);
  const events = pending;
  pending = [];
  lastSentAt = performance.now();
  post({ type: 'events', events, state: stateNow() });
}

async function answer(q: CaptureQuery): Promise<void> {
  let value: CaptureState | Uint8Array | boolean | null = null;
  switch (q.type) {
    case 'state':
      value = stateNow();
      break;
    case 'pcap':
      value = (await svc.pcapFor(q.connId)) ?? null;
      break;
    case 'listening':
      value = await svc.whenListening();
      break;
    case 'sample':
      await svc.sampleNow();
      break;
    case 'stop':
      await svc.stop();
      break;
  }
  flush(true);
  // A pcap file of its own memory moves across without a copy; one cut from a shared pool is copied.
  const transfer = value instanceof Uint8Array && value.byteOffset === 0 && value.byteLength === value.buffer.byteLength ? [value.buffer as ArrayBuffer] : [];
  port.postMessage({ type: 'answer', id: q.id, value } satisfies FromCaptureThread, transfer);
}

port.on('message', (m: ToCaptureThread) => {
  switch (m.type) {
    case 'start':
      svc.start();
      break;
    case 'open':
      svc.notifyOpen(m.conn);
      break;
    case 'close':
      svc.notifyClose(m.connId);
      break;
    case 'activity':
      svc.notifyActivity();
      break;
    case 'ports':
      svc.setWatchedPorts(m.ports);
      break;
    case 'forget':
      svc.forget(m.connId);
      break;
    default:
      void answer(m);
  }
});
