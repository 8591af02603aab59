import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StraceLineParser } from './strace-line.ts';

const hex = (b: Uint8Array) => [...b].map((x) => '\\x' + x.toString(16).padStart(2, '0')).join('');
const SOCK = 'TCP:[127.0.0.1:5055->127.0.0.1:59398]';

describe('strace line parser', () => {
  it("the issue's own lines: a read of 21 asking 1024, a write of 12", () => {
    const p = new StraceLineParser(100);
    expect(p.push(`read(7<${SOCK}>, "${hex(Buffer.from('Hello1\nHello2\nHello3\n'))}", 1024) = 21`)).toMatchObject({
      kind: 'read',
      tid: 100,
      fd: 7,
      ret: 21,
      requested: 1024,
      tuple: { localPort: 5055, remoteAddress: '127.0.0.1', remotePort: 59398 },
    });
    expect(p.push(`[pid 101] write(7<${SOCK}>, "${hex(Buffer.from('Received: 21'))}", 12) = 12`)).toMatchObject({ kind: 'write', tid: 101, ret: 12, requested: 12 });
  });

  it('takes an accept whose first half came before strace attached', () => {
    const p = new StraceLineParser(100);
    expect(p.push(`<... accept4 resumed>{sa_family=AF_INET, sin_port=htons(55834), sin_addr=inet_addr("\\x31")}, [16], SOCK_CLOEXEC) = 4<${SOCK}>`)).toEqual({
      kind: 'accept',
      tid: 100,
      fd: 4,
    });
    expect(p.push(`[pid 101] <... accept resumed>0x0, NULL) = -1 EAGAIN (Resource temporarily unavailable)`)).toBeNull();
    expect(p.push(`<... read resumed>"\\x41", 1024) = 1`)).toBeNull();
  });

  it('joins unfinished and resumed halves per thread, in any interleaving of two threads', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.boolean(), (a, b, aFirst) => {
        const p = new StraceLineParser(1);
        const lines = [
          `[pid 2] recvfrom(5<${SOCK}>,  <unfinished ...>`,
          `[pid 3] readv(6<TCPv6:[[::1]:5055->[::1]:40000]>,  <unfinished ...>`,
        ];
        const ends = [
          `[pid 2] <... recvfrom resumed>"${hex(a)}", 4096, 0, NULL, NULL) = ${a.length}`,
          `[pid 3] <... readv resumed>[{iov_base="${hex(b)}", iov_len=100}, {iov_base="", iov_len=28}], 2) = ${b.length}`,
        ];
        for (const l of lines) expect(p.push(l)).toBeNull();
        const order = aFirst ? [0, 1] : [1, 0];
        const out = order.map((i) => p.push(ends[i]!)!);
        const byFd = Object.fromEntries(out.map((c) => [(c as { fd: number }).fd, c]));
        expect(byFd[5]).toMatchObject({ kind: 'read', tid: 2, ret: a.length, requested: 4096 });
        expect([...(byFd[5] as { preview: Buffer }).preview]).toEqual([...a]);
        expect(byFd[6]).toMatchObject({ kind: 'read', tid: 3, ret: b.length, requested: 128, tuple: { localAddress: '::1', remotePort: 40000 } });
      }),
    );
  });

  it('EAGAIN is counted, resets and closes are told, other lines are not calls', () => {
    const p = new StraceLineParser(1);
    expect(p.push(`read(7<${SOCK}>, 0xc000120000, 1024) = -1 EAGAIN (Resource temporarily unavailable)`)).toMatchObject({ kind: 'wouldBlock', fd: 7 });
    expect(p.push(`write(7<${SOCK}>, "\\x41", 1) = -1 EPIPE (Broken pipe)`)).toMatchObject({ kind: 'error', errno: 'EPIPE' });
    expect(p.push(`close(7<${SOCK}>) = 0`)).toMatchObject({ kind: 'close', fd: 7 });
    expect(p.push(`accept4(3<TCP:[127.0.0.1:5055]>, {sa_family=AF_INET}, [16], SOCK_CLOEXEC) = 7<${SOCK}>`)).toEqual({ kind: 'accept', tid: 1, fd: 7 });
    for (const other of ['strace: Process 1 attached', '+++ exited with 0 +++', '--- SIGURG {si_signo=SIGURG} ---', `read(7<${SOCK}>, "", 1024) = 0`])
      expect(p.push(other)).toBeNull();
  });
});
