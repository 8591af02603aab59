import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeR, parseBpftraceLine, unescapeR } from './bpftrace-line.ts';

describe('bpftrace line parser', () => {
  it('unescapes what %r escapes, any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      expect([...unescapeR(escapeR(bytes))]).toEqual([...bytes]);
    }));
  });

  it('reads back every field of a call line, whatever the preview holds (spaces, backslashes)', () => {
    const n = fc.integer({ min: 0, max: 2 ** 40 });
    fc.assert(
      fc.property(fc.constantFrom('r', 'w'), n, n, n, n, n, n, n, fc.integer({ min: 1, max: 9 }), fc.uint8Array({ maxLength: 64 }), (tag, tid, fd, ret, req, calls, bytes, ea, code, preview) => {
        const call = parseBpftraceLine(`${tag} ${tid} ${fd} ${ret} ${req} ${calls} ${bytes} ${ea} ${code} ${escapeR(preview)}`);
        expect(call).toMatchObject({ kind: tag === 'r' ? 'read' : 'write', tid, fd, ret, requested: req, totals: { calls, bytes, wouldBlock: ea } });
        expect([...(call as { preview: Buffer }).preview]).toEqual([...preview]);
      }),
    );
  });

  it('the tutorial read, a socket, a close, an error, lost lines; nothing from other lines', () => {
    expect(parseBpftraceLine('r 7 4 21 1024 1 21 0 1 Hello1\\x0aHello2\\x0aHello3\\x0a')).toMatchObject({ kind: 'read', ret: 21, requested: 1024, syscall: 'read' });
    expect(parseBpftraceLine('n 7 4 1 5055 40000 ::ffff:127.0.0.1 ::ffff:127.0.0.1')).toEqual({
      kind: 'socket',
      tid: 7,
      pid: 7,
      fd: 4,
      fresh: true,
      tuple: { localAddress: '127.0.0.1', localPort: 5055, remoteAddress: '127.0.0.1', remotePort: 40000 },
    });
    expect(parseBpftraceLine('c 7 4 1 21 1 12 3')).toMatchObject({ kind: 'close', read: { calls: 1, bytes: 21, wouldBlock: 3 }, write: { calls: 1, bytes: 12 } });
    expect(parseBpftraceLine('x 7 4 104 1')).toMatchObject({ kind: 'error', errno: 'ECONNRESET' });
    expect(parseBpftraceLine('Lost 12 events')).toEqual({ kind: 'lost', count: 12 });
    expect(parseBpftraceLine('@t[5310, 4]: (2696, 2760704, 2695, 37744, 2080)')).toEqual({
      kind: 'totals',
      pid: 5310,
      fd: 4,
      read: { calls: 2696, bytes: 2760704, wouldBlock: 2080 },
      write: { calls: 2695, bytes: 37744, wouldBlock: 0 },
    });
    expect(parseBpftraceLine('p 5310')).toEqual({ kind: 'listen', pid: 5310 });
    expect(parseBpftraceLine('e 5021')).toEqual({ kind: 'exit', pid: 5021 });
    for (const other of ['@t[1, 2]: (1, 2)', '@left: 4', 'p 12 x', 'e']) expect(parseBpftraceLine(other)).toBeNull();
    for (const other of ['T', 'READY', 'Attaching 24 probes...', '', 'r x y', 'r 1 2']) expect(parseBpftraceLine(other)).toBeNull();
  });
});
