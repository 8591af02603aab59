import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseProcNetTcp, socketInode } from './proc-net-tcp.ts';

const le32 = (bytes: number[]) => bytes.map((b) => b.toString(16).padStart(2, '0')).reverse().join('').toUpperCase();
const row = (local: string, remote: string, state: number, inode: number) =>
  `   0: ${local} ${remote} ${state.toString(16).padStart(2, '0').toUpperCase()} 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0000000000000000 100 0 0 10 0`;

describe('/proc/net/tcp parser', () => {
  it('reads back any IPv4 row', () => {
    const ip = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 });
    const port = fc.integer({ min: 0, max: 65535 });
    fc.assert(
      fc.property(ip, port, ip, port, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 2 ** 40 }), (la, lp, ra, rp, state, inode) => {
        const text = `  sl  local_address rem_address   st ...\n${row(`${le32(la)}:${lp.toString(16).toUpperCase().padStart(4, '0')}`, `${le32(ra)}:${rp.toString(16).padStart(4, '0')}`, state, inode)}\n`;
        expect(parseProcNetTcp(text)).toEqual([{ localAddress: la.join('.'), localPort: lp, remoteAddress: ra.join('.'), remotePort: rp, state, inode }]);
      }),
    );
  });

  it('IPv6 rows: ::1, and IPv4-mapped peers spelled as IPv4', () => {
    const text = [
      row('00000000000000000000000001000000:13BF', '00000000000000000000000000000000:0000', 0x0a, 11),
      row('0000000000000000FFFF00000100007F:13BF', '0000000000000000FFFF00000100007F:9C40', 0x01, 12),
    ].join('\n');
    expect(parseProcNetTcp(text)).toEqual([
      { localAddress: '::1', localPort: 5055, remoteAddress: '::', remotePort: 0, state: 0x0a, inode: 11 },
      { localAddress: '127.0.0.1', localPort: 5055, remoteAddress: '127.0.0.1', remotePort: 40000, state: 1, inode: 12 },
    ]);
  });

  it('socket links', () => {
    expect(socketInode('socket:[241891]')).toBe(241891);
    expect(socketInode('/dev/null')).toBeNull();
    expect(socketInode('anon_inode:[eventpoll]')).toBeNull();
  });
});
