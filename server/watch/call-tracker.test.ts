import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConnectionRegistry } from '../echo/connection-registry.ts';
import { EventStore } from '../events/event-store.ts';
import { Recorder } from '../events/recorder.ts';
import { CallTracker } from './call-tracker.ts';
import type { TraceCall } from './trace-call.ts';

const tuple = { localAddress: '127.0.0.1', localPort: 5055, remoteAddress: '127.0.0.1', remotePort: 40000 };

function setup() {
  const registry = new ConnectionRegistry();
  const recorder = new Recorder(new EventStore(100000));
  const tracker = new CallTracker({ registry, recorder, port: 5055, ref: { port: 5055, pid: 42, command: 'srv' } });
  return { registry, recorder, tracker };
}

describe('call tracker', () => {
  it('eBPF lines lost or out of order: counters equal the kernel totals, events never overlap, lost + shown = calls', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
        fc.array(fc.nat(), { minLength: 60, maxLength: 60 }),
        (sizes, keep, order) => {
          const { registry, recorder, tracker } = setup();
          tracker.handle({ kind: 'socket', tid: 1, fd: 4, fresh: true, tuple });
          let bytes = 0;
          const lines: TraceCall[] = sizes.map((ret, i) => {
            bytes += ret;
            return { kind: 'read', tid: 1, fd: 4, ret, requested: 8192, syscall: 'read', preview: Buffer.alloc(Math.min(ret, 64)), totals: { calls: i + 1, bytes, wouldBlock: 0 }, tuple: null };
          });
          // Some lines lost, the rest delivered with local reordering (as from two CPU rings).
          const delivered = lines.filter((_, i) => keep[i]).map((l, i) => ({ l, k: i + (order[i]! % 3) })).sort((a, b) => a.k - b.k).map((x) => x.l);
          for (const [i, l] of delivered.entries()) {
            tracker.handle(l);
            // A second CPU announcing the same socket again changes nothing.
            if (i === 0) tracker.handle({ kind: 'socket', tid: 2, fd: 4, fresh: false, tuple });
          }
          tracker.handle({ kind: 'close', tid: 1, fd: 4, read: { calls: sizes.length, bytes, wouldBlock: 0 }, write: { calls: 0, bytes: 0, wouldBlock: 0 } });
          // Lines still missing at the close may come late; here they never do.
          tracker.finishCloses();
          const conn = registry.list()[0]!;
          expect(conn).toMatchObject({ reads: sizes.length, bytesRead: bytes, state: 'closed', origin: 'watched' });
          const reads = recorder.store.query({ kind: 'read', limit: 10000 }) as unknown as { offset: number; length: number }[];
          expect(reads.length + conn.eventsLost!).toBe(sizes.length);
          let end = 0;
          for (const r of [...reads].sort((a, b) => a.offset - b.offset)) {
            expect(r.offset).toBeGreaterThanOrEqual(end);
            end = r.offset + r.length;
          }
        },
      ),
    );
  });

  it('strace: every call counted as it comes; reset after ECONNRESET; mid-stream unless accepted', () => {
    const { registry, recorder, tracker } = setup();
    tracker.handle({ kind: 'read', tid: 1, fd: 5, ret: 21, requested: 1024, syscall: 'read', preview: Buffer.from('Hello1\nHello2\nHello3\n'), totals: null, tuple });
    tracker.handle({ kind: 'wouldBlock', tid: 1, fd: 5, syscall: 'read', tuple });
    tracker.handle({ kind: 'error', tid: 1, fd: 5, errno: 'ECONNRESET', syscall: 'read', tuple });
    tracker.handle({ kind: 'close', tid: 1, fd: 5, read: null, write: null });
    tracker.handle({ kind: 'accept', tid: 1, fd: 6 });
    tracker.handle({ kind: 'write', tid: 1, fd: 6, ret: 5, requested: 12, syscall: 'write', preview: Buffer.from('Recei'), totals: null, tuple: { ...tuple, remotePort: 40001 } });
    const [first, second] = registry.list().sort((a, b) => a.id - b.id);
    expect(first).toMatchObject({ reads: 1, bytesRead: 21, wouldBlock: 1, midStream: true, state: 'closed', closeReason: 'reset', closeCode: 'ECONNRESET' });
    expect(second).toMatchObject({ replies: 1, bytesReplied: 5, midStream: false, state: 'open' });
    const reply = recorder.store.query({ kind: 'reply', limit: 10 })[0]!;
    // A short write: 5 of the 12 offered.
    expect(reply).toMatchObject({ length: 5, requested: 12 });
    tracker.handle({ kind: 'read', tid: 1, fd: 9, ret: 3, requested: 3, syscall: 'read', preview: Buffer.from('abc'), totals: null, tuple: { ...tuple, localPort: 6000 } });
    expect(registry.list()).toHaveLength(2); // another port's socket is none of ours
  });

  it('eBPF detail budget: calls only counted in the kernel reach the counters through the totals, before any close', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 4096 }), fc.boolean()), { minLength: 1, maxLength: 80 }), (calls) => {
        const { registry, recorder, tracker } = setup();
        tracker.handle({ kind: 'socket', tid: 9, pid: 9, fd: 4, fresh: true, tuple });
        let bytes = 0;
        let shown = 0;
        for (const [i, [ret, detailed]] of calls.entries()) {
          bytes += ret;
          if (!detailed) continue;
          shown++;
          tracker.handle({ kind: 'read', tid: 9, pid: 9, fd: 4, ret, requested: 8192, syscall: 'read', preview: Buffer.alloc(Math.min(ret, 64)), totals: { calls: i + 1, bytes, wouldBlock: 0 }, tuple: null });
        }
        // The periodic print of the kernel's totals, while the connection is still open.
        tracker.handle({ kind: 'totals', pid: 9, fd: 4, read: { calls: calls.length, bytes, wouldBlock: 2 }, write: { calls: 0, bytes: 0, wouldBlock: 0 } });
        const conn = registry.list()[0]!;
        expect(conn).toMatchObject({ state: 'open', reads: calls.length, bytesRead: bytes, wouldBlock: 2, eventsLost: calls.length - shown });
        expect(recorder.store.query({ kind: 'read', limit: 10000 })).toHaveLength(shown);
      }),
    );
  });

  it('eBPF: the same fd in two processes is two connections; a process that exits ends only its own', () => {
    const { registry, tracker } = setup();
    tracker.handle({ kind: 'socket', tid: 10, pid: 10, fd: 4, fresh: true, tuple });
    tracker.setRef({ port: 5055, pid: 11, command: 'srv2' });
    tracker.handle({ kind: 'socket', tid: 11, pid: 11, fd: 4, fresh: true, tuple: { ...tuple, remotePort: 40001 } });
    tracker.handle({ kind: 'totals', pid: 12, fd: 4, read: { calls: 3, bytes: 3, wouldBlock: 0 }, write: { calls: 0, bytes: 0, wouldBlock: 0 } });
    tracker.endPid(10);
    const [first, second] = registry.list().sort((a, b) => a.id - b.id);
    expect(first).toMatchObject({ state: 'closed', closeCode: 'EXITED', watch: { pid: 42 }, reads: 0 });
    expect(second).toMatchObject({ state: 'open', watch: { pid: 11, command: 'srv2' }, reads: 0 });
  });

  it("eBPF: an exit read before its process's last calls (another CPU's ring) still ends the connection they open", async () => {
    const { registry, recorder, tracker } = setup();
    const closed = new Promise<number>((resolve) => recorder.subscribe((e) => e.kind === 'close' && resolve(e.connId)));
    tracker.endPid(7);
    // As the tutorial's Go server: accept, read, reply, then exit (log.Fatal on EOF) with no close().
    tracker.handle({ kind: 'socket', tid: 8, pid: 7, fd: 4, fresh: true, tuple });
    tracker.handle({ kind: 'read', tid: 8, pid: 7, fd: 4, ret: 21, requested: 1024, syscall: 'read', preview: Buffer.from('Hello1\nHello2\nHello3\n'), totals: { calls: 1, bytes: 21, wouldBlock: 0 }, tuple: null });
    tracker.handle({ kind: 'write', tid: 8, pid: 7, fd: 4, ret: 12, requested: 12, syscall: 'write', preview: Buffer.from('Received: 21'), totals: { calls: 1, bytes: 12, wouldBlock: 0 }, tuple: null });
    expect(registry.list()[0]).toMatchObject({ state: 'open', reads: 1, replies: 1 });
    const id = await closed;
    expect(registry.list().find((c) => c.id === id)).toMatchObject({ state: 'closed', closeCode: 'EXITED', reads: 1, bytesRead: 21, replies: 1, bytesReplied: 12 });
  });

  it("eBPF: a close read before its connection's last reply (another CPU's ring) waits for it: the reply is an event, before the close", () => {
    const { registry, recorder, tracker } = setup();
    tracker.handle({ kind: 'socket', tid: 7, pid: 7, fd: 4, fresh: true, tuple });
    tracker.handle({ kind: 'read', tid: 7, pid: 7, fd: 4, ret: 21, requested: 1024, syscall: 'read', preview: Buffer.from('Hello1\nHello2\nHello3\n'), totals: { calls: 1, bytes: 21, wouldBlock: 0 }, tuple: null });
    const close = { kind: 'close', tid: 8, pid: 7, fd: 4, read: { calls: 1, bytes: 21, wouldBlock: 0 }, write: { calls: 1, bytes: 12, wouldBlock: 0 } } as const;
    tracker.handle(close);
    expect(registry.list()[0]).toMatchObject({ state: 'open', replies: 0 });
    tracker.handle(close); // the same close told twice changes nothing
    tracker.handle({ kind: 'write', tid: 9, pid: 7, fd: 4, ret: 12, requested: 12, syscall: 'write', preview: Buffer.from('Received: 21'), totals: { calls: 1, bytes: 12, wouldBlock: 0 }, tuple: null });
    expect(registry.list()[0]).toMatchObject({ state: 'closed', closeReason: 'end', reads: 1, replies: 1, bytesReplied: 12, eventsLost: 0 });
    const kinds = recorder.store.query({ limit: 10 }).map((e) => e.kind);
    expect(kinds).toEqual(['open', 'read', 'reply', 'close']);
    // A close with nothing behind ends at once, and takes the EAGAINs its totals count.
    tracker.handle({ kind: 'socket', tid: 7, pid: 7, fd: 6, fresh: true, tuple: { ...tuple, remotePort: 40003 } });
    tracker.handle({ kind: 'close', tid: 7, pid: 7, fd: 6, read: { calls: 0, bytes: 0, wouldBlock: 3 }, write: { calls: 0, bytes: 0, wouldBlock: 0 } });
    expect(registry.list().find((c) => c.remotePort === 40003)).toMatchObject({ state: 'closed', wouldBlock: 3 });
  });

  it("eBPF: a close whose connection's last line never comes is recorded after the wait, the call counted as lost", async () => {
    const { registry, recorder, tracker } = setup();
    tracker.handle({ kind: 'socket', tid: 7, pid: 7, fd: 4, fresh: true, tuple });
    const closed = new Promise<number>((resolve) => recorder.subscribe((e) => e.kind === 'close' && resolve(e.connId)));
    tracker.handle({ kind: 'close', tid: 8, pid: 7, fd: 4, read: { calls: 2, bytes: 30, wouldBlock: 0 }, write: { calls: 0, bytes: 0, wouldBlock: 0 } });
    expect(registry.list()[0]).toMatchObject({ state: 'open' });
    const id = await closed;
    expect(registry.list().find((c) => c.id === id)).toMatchObject({ state: 'closed', reads: 2, bytesRead: 30, eventsLost: 2 });
    // A new connection on the same fd ends a waiting close at once.
    tracker.handle({ kind: 'socket', tid: 7, pid: 7, fd: 5, fresh: true, tuple: { ...tuple, remotePort: 40001 } });
    tracker.handle({ kind: 'close', tid: 8, pid: 7, fd: 5, read: { calls: 1, bytes: 3, wouldBlock: 0 }, write: null });
    tracker.handle({ kind: 'socket', tid: 7, pid: 7, fd: 5, fresh: true, tuple: { ...tuple, remotePort: 40002 } });
    expect(registry.list().find((c) => c.remotePort === 40001)).toMatchObject({ state: 'closed', reads: 1, eventsLost: 1 });
    expect(registry.list().find((c) => c.remotePort === 40002)).toMatchObject({ state: 'open' });
  });
});
