// The capture thread: runs the capture service (tcpdump's pipe, pcap records, the gate, the frame
// store, ss's samples) away from the echo's thread, and hands its events over in batches. Started by
// capture-thread.ts, which speaks for it on the main thread; what they say is capture-thread-protocol.ts.
import { parentPort, workerData } from 'node:worker_threads';
import type { CaptureState } from '../../shared/wire.ts';
import { CAPTURE_THREAD_PENDING_EVENTS } from '../../shared/limits.ts';
import { createCaptureService } from './capture-service.ts';
import { createEventBatches } from './event-batches.ts';
import {
  CAPTURE_THREAD_BATCH_MS,
  CAPTURE_THREAD_BATCHES_IN_FLIGHT,
  type CaptureQuery,
  type CaptureThreadOptions,
  type FromCaptureThread,
  type ToCaptureThread,
} from './capture-thread-protocol.ts';

const port = parentPort!;
const { options, inFlight } = workerData as { options: CaptureThreadOptions; inFlight: SharedArrayBuffer };

const post = (m: FromCaptureThread): void => port.postMessage(m);
const stateNow = (): CaptureState => ({ ...svc.state(), eventsShed: batches.shed });

const batches = createEventBatches({
  send: (events) => post({ type: 'events', events, state: stateNow() }),
  unread: new Int32Array(inFlight),
  maxInFlight: CAPTURE_THREAD_BATCHES_IN_FLIGHT,
  maxPending: CAPTURE_THREAD_PENDING_EVENTS,
  batchMs: CAPTURE_THREAD_BATCH_MS,
});

const svc = createCaptureService({
  ...options,
  emit: (ev) => batches.push(ev),
  onStateChange() {
    batches.flush(true);
    post({ type: 'state', state: stateNow() });
  },
});

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
  batches.flush(true);
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
