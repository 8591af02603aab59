// The wire view of a watched server: a real tcpdump follows the watch set (a new capture takes over from the
// old one without a gap or a doubled frame), its segments and ss's samples land on the watched connection.
// A real Python server traced with strace (the quicker tracer to attach; the capture does not depend on it).
import net from 'node:net';
import { once } from 'node:events';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../shared/connections.ts';
import type { CaptureState, SampleEvent, SegmentEvent } from '../../shared/wire.ts';
import type { Tcpscope } from '../app.ts';
import type { StoredEvent } from '../events/stored-event.ts';
import { corkedWrites, json, startTestScope, withDeadline } from '../../test/helpers.ts';
import { startServer, within } from '../../test/watch/watch-helpers.ts';

const here = path.dirname(new URL(import.meta.url).pathname);
const PY_BLOCKING = path.join(here, '../../test/watch/servers/python/blocking_server.py');
const ATTACH_MS = 60_000;

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** Every event recorded from now on, and waits on them with a deadline naming what they awaited. */
function timeline(scope: Tcpscope) {
  const all: StoredEvent[] = [];
  let waiters: { pred: () => boolean; resolve: () => void }[] = [];
  cleanups.push(
    scope.recorder.subscribe((e) => {
      all.push(e);
      waiters = waiters.filter((w) => (w.pred() ? (w.resolve(), false) : true));
    }),
  );
  return {
    all,
    until(what: string, pred: () => boolean): Promise<void> {
      return withDeadline<void>('timeline', what, (resolve) => {
        const w = { pred, resolve: () => resolve() };
        if (pred()) resolve();
        else waiters.push(w);
        return () => (waiters = waiters.filter((x) => x !== w));
      });
    },
    segments: (connId: number) => all.filter((e): e is Extract<StoredEvent, { kind: 'segment' }> => e.kind === 'segment' && e.connId === connId),
  };
}

async function capturingScope(options: Parameters<typeof startTestScope>[0] = {}): Promise<Tcpscope> {
  const scope = await startTestScope({ capture: true, watchMechanisms: ['strace'], ...options });
  cleanups.push(() => scope.close());
  expect(await within(scope.capture.whenListening(), 20_000, 'tcpdump to listen')).toBe(true);
  return scope;
}

/** A port nothing listens on: a watch on it stays `waiting`, and the capture follows it all the same. */
async function freePort(): Promise<number> {
  const s = net.createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as net.AddressInfo).port;
  s.close();
  await once(s, 'close');
  return port;
}

describe('the wire view of a watched server', () => {
  it("shows the watched connection's segments and socket samples, and follows the watch set", async () => {
    const srv = await startServer(['python3', PY_BLOCKING, '0', '1024']);
    cleanups.push(() => srv.kill());
    const scope = await capturingScope();
    const tl = timeline(scope);

    expect((await json(scope, 'POST', '/api/watches', { port: srv.port })).status).toBe(201);
    // The filter changes at once; the new tcpdump listens before the watch is used.
    expect(scope.capture.ports()).toEqual([scope.tcpPort, srv.port]);
    expect(await within(scope.capture.whenListening(), 20_000, 'the new tcpdump (with the watched port) to listen')).toBe(true);
    await within(scope.watches.whenAttached(srv.port), ATTACH_MS, `the watch on ${srv.port} to attach`);

    // The tutorial's client, its connection held open so that ss sees it.
    const socket = net.connect({ port: srv.port, host: '127.0.0.1' });
    await once(socket, 'connect');
    corkedWrites(socket, ['Hello1\n', 'Hello2\n', 'Hello3\n']);
    const [reply] = (await once(socket, 'data')) as [Buffer];
    expect(reply.toString()).toBe('Received: 21');
    await tl.until('the watched read and reply', () => tl.all.some((e) => e.kind === 'reply' && e.connId > 0));
    const open = tl.all.find((e) => e.kind === 'open' && e.origin === 'watched')!;
    const id = open.connId;
    await tl.until(`segments of 21 bytes in and 12 out on watched connection #${id}`, () => {
      const segs = tl.segments(id);
      return segs.some((s) => s.direction === 'c2s' && s.payloadLength === 21) && segs.some((s) => s.direction === 's2c' && s.payloadLength === 12);
    });

    // ss: both ends of the watched connection, sampled in one run with the echo port.
    await scope.capture.sampleNow();
    await tl.until(`socket samples of both ends of #${id}`, () => {
      const sides = new Set(tl.all.filter((e): e is SampleEvent & StoredEvent => e.kind === 'sample' && e.connId === id).map((e) => e.side));
      return sides.has('server') && sides.has('client');
    });

    socket.end();
    await once(socket, 'close');
    await tl.until(`the FINs of #${id}`, () => tl.segments(id).filter((s) => s.flags.includes('FIN')).length === 2);

    // What the wire view reads: the events API and the capture's state.
    const segs = (await json<SegmentEvent[]>(scope, 'GET', `/api/events?kind=segment&connId=${id}`)).body;
    expect(segs[0]).toMatchObject({ direction: 'c2s', flags: ['SYN'], relativeSeq: 0 });
    const data = segs.filter((s) => s.payloadLength > 0).map((s) => [s.direction, s.relativeSeq, s.payloadLength, Buffer.from(s.hex.replaceAll(' ', ''), 'hex').toString()]);
    expect(data).toEqual([
      ['c2s', 1, 21, 'Hello1\nHello2\nHello3\n'],
      ['s2c', 1, 12, 'Received: 21'],
    ]);
    const conn = (await json<Connection[]>(scope, 'GET', '/api/connections')).body.find((c) => c.id === id)!;
    expect(conn).toMatchObject({ origin: 'watched', localPort: srv.port, reads: 1, bytesRead: 21 });
    const pcap = await scope.app.inject({ method: 'GET', url: `/api/capture.pcap?connId=${id}` });
    expect(pcap.statusCode).toBe(200);
    const cap = (await json<CaptureState>(scope, 'GET', '/api/capture')).body;
    expect(cap).toMatchObject({ active: true, ports: [scope.tcpPort, srv.port], filterChanges: 1 });

    // Unwatched: the filter drops the port again.
    expect((await json(scope, 'DELETE', `/api/watches/${srv.port}`)).status).toBe(204);
    expect(scope.capture.ports()).toEqual([scope.tcpPort]);
    expect(await within(scope.capture.whenListening(), 20_000, 'the tcpdump without the watched port to listen')).toBe(true);
    expect((await json<CaptureState>(scope, 'GET', '/api/capture')).body).toMatchObject({ active: true, ports: [scope.tcpPort], filterChanges: 2 });
  }, 120_000);

  it('two filter changes mid-stream, one right after the other, lose no frame and double none', async () => {
    // Every segment in detail: the ping-pong below runs until both handovers are done, thousands of
    // segments on a quick machine, past the default budget, and a summarised segment is no event.
    const scope = await capturingScope({ captureDetail: { ratePerSec: 1_000_000, burst: 1_000_000 } });
    const tl = timeline(scope);
    const socket = net.connect({ port: scope.tcpPort, host: '127.0.0.1' });
    await once(socket, 'connect');
    const open = await withDeadline<StoredEvent>('open', 'the echo connection to open', (resolve) => {
      const found = tl.all.find((e) => e.kind === 'open');
      if (found) resolve(found);
      return scope.recorder.subscribe((e) => e.kind === 'open' && resolve(e));
    });
    const id = open.connId;
    // Ping-pong with the echo server (reply ack): one message, one reply, while the capture is handed over.
    let replies = 0;
    let pending: (() => void) | null = null;
    socket.on('data', () => {
      replies++;
      pending?.();
    });
    let written = 0;
    const exchange = async (i: number): Promise<void> => {
      const before = replies;
      const msg = `message ${i}\n`;
      written += msg.length;
      const got = new Promise<void>((resolve) => (pending = () => replies > before && resolve()));
      socket.write(msg);
      await within(got, 10_000, `the reply to message ${i}`);
    };
    let i = 0;
    for (; i < 30; i++) await exchange(i);
    const [a, b] = [await freePort(), await freePort()];
    // The second change comes while the first hands over: it is taken up once that one ends.
    scope.capture.setWatchedPorts([a]);
    scope.capture.setWatchedPorts([a, b]);
    expect(scope.capture.ports()).toEqual([scope.tcpPort, a, b]);
    const listening = scope.capture.whenListening();
    let newListening = false;
    void listening.then(() => (newListening = true));
    // Traffic goes on until the capture with both ports listens and each handover saw a frame from both
    // captures (the old one then stops), with a bound on the number of exchanges (an echo unslowed by its
    // capture answers thousands a second: the bound is ten seconds of them or more).
    for (; i < 50_000 && !(newListening && (scope.capture.state().handoverDuplicates ?? 0) >= 2); i++) await exchange(i);
    expect(newListening, 'the tcpdump with both watched ports listened within 50,000 exchanges').toBe(true);
    expect(scope.capture.state().handoverDuplicates).toBeGreaterThanOrEqual(2);
    for (let j = 0; j < 30; j++, i++) await exchange(i);
    socket.end();
    await tl.until(`the FINs of #${id}`, () => tl.segments(id).filter((s) => s.flags.includes('FIN')).length === 2);

    expect(scope.capture.state().segmentsSummarized, 'segments summarised under the raised budget').toBe(0);
    // Each byte the client wrote is in exactly one captured segment, in order; so are the replies. The one
    // loss allowed is the kernel's, counted by tcpdump (`framesDropped`): on a machine busy with other
    // tests its buffer can overflow while the capture thread waits for a core. Then each gap must be one
    // of those frames, and still no byte comes twice.
    const dropped = (await scope.capture.stateNow()).framesDropped ?? 0;
    let gaps = 0;
    for (const [dir, bytes] of [
      ['c2s', written],
      ['s2c', (await json<Connection[]>(scope, 'GET', '/api/connections')).body.find((c) => c.id === id)!.bytesReplied],
    ] as const) {
      const data = tl.segments(id).filter((s) => s.direction === dir && s.payloadLength > 0);
      let next = 1;
      let missing = 0;
      for (const s of data) {
        if (dropped === 0) expect(s.relativeSeq, `${dir} segment at ${s.relativeSeq} follows the bytes before it`).toBe(next);
        expect(s.relativeSeq, `${dir} segment at ${s.relativeSeq} doubles no byte before it`).toBeGreaterThanOrEqual(next);
        if (s.relativeSeq > next) {
          gaps++;
          missing += s.relativeSeq - next;
        }
        next = s.relativeSeq + s.payloadLength;
      }
      expect(next - 1).toBe(bytes);
      // A message or a reply is at most 20 bytes: each frame the kernel dropped hid at most that many.
      expect(missing).toBeLessThanOrEqual(dropped * 20);
    }
    expect(gaps, `gaps in the captured bytes, against ${dropped} frames the kernel dropped`).toBeLessThanOrEqual(dropped);
    const cap = scope.capture.state();
    expect(cap.filterChanges).toBe(2);
    expect(cap.ports).toEqual([scope.tcpPort, a, b]);
  }, 120_000);
});
