import { describe, expect, it } from 'vitest';
import { parseEndpoint, parseSs } from './ss-parse.ts';

// Printed by `ss -Htin state connected '( sport = :39229 or dport = :39229 )'` (iproute2 6.1) right
// after the tutorial's exchange: the echo server's socket, then the client's.
const TUTORIAL = `ESTAB 0      0      127.0.0.1:39229 127.0.0.1:60002
\t bbr wscale:10,10 rto:204 rtt:0.035/0.015 ato:40 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:11 bytes_sent:11 bytes_acked:11 bytes_received:7 segs_out:2 segs_in:4 data_segs_out:1 data_segs_in:1 bbr:(bw:9039437496bps,mrtt:0.029,pacing_gain:2.88672,cwnd_gain:2.88672) send 82388114286bps lastsnd:108 lastrcv:108 lastack:108 pacing_rate 208102365264bps delivery_rate 9039448272bps delivered:2 app_limited rcv_space:65483 rcv_ssthresh:65483 minrtt:0.029 snd_wnd:65536
ESTAB 0      0      127.0.0.1:60002 127.0.0.1:39229
\t bbr wscale:10,10 rto:204 rtt:0.154/0.087 ato:40 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:11 bytes_sent:7 bytes_acked:8 bytes_received:11 segs_out:4 segs_in:3 data_segs_out:1 data_segs_in:1 send 18724571429bps lastsnd:112 lastrcv:112 lastack:112 pacing_rate 43520403112bps delivery_rate 7489828568bps delivered:2 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.035 snd_wnd:65536  
`;

describe('ss parse', () => {
  it('reads both ends of a loopback connection', () => {
    expect(parseSs(TUTORIAL)).toEqual([
      {
        state: 'ESTAB',
        recvQ: 0,
        sendQ: 0,
        localAddress: '127.0.0.1',
        localPort: 39229,
        peerAddress: '127.0.0.1',
        peerPort: 60002,
        rttMs: 0.035,
        rttVarMs: 0.015,
        cwnd: 11,
        sndWnd: 65536,
        rcvWnd: null,
        rcvSpace: 65483,
        mss: 32768,
      },
      expect.objectContaining({ localPort: 60002, peerPort: 39229, rttMs: 0.154, rttVarMs: 0.087, rcvSpace: 65495 }),
    ]);
  });

  it('reads queues, IPv6 and mapped addresses, rcv_wnd, and sockets without details', () => {
    const text = [
      'State      Recv-Q Send-Q Local Address:Port  Peer Address:Port Process',
      'ESTAB      1000   0      [::1]:5055          [::1]:41234',
      '\t cubic rtt:1.5/0.75 cwnd:10 snd_wnd:0 rcv_wnd:512 rcv_space:14600',
      'CLOSE-WAIT 0      2048   [::ffff:127.0.0.1]:5055 [::ffff:127.0.0.1]:41000',
      'TIME-WAIT  0      0      127.0.0.1%lo:41000  127.0.0.1:5055',
      '',
    ].join('\n');
    expect(parseSs(text)).toEqual([
      expect.objectContaining({ state: 'ESTAB', recvQ: 1000, localAddress: '::1', peerPort: 41234, rttMs: 1.5, cwnd: 10, sndWnd: 0, rcvWnd: 512 }),
      expect.objectContaining({ state: 'CLOSE-WAIT', sendQ: 2048, localAddress: '127.0.0.1', peerAddress: '127.0.0.1', rttMs: null, cwnd: null }),
      expect.objectContaining({ state: 'TIME-WAIT', localAddress: '127.0.0.1', localPort: 41000 }),
    ]);
  });

  it('leaves TIME-WAIT sockets and their detail lines out when asked, and nothing else', () => {
    const text = [
      'TIME-WAIT 0      0      127.0.0.1:5055 127.0.0.1:41000',
      '\t',
      'TIME-WAIT 0      0      127.0.0.1:5055 127.0.0.1:41001',
      '\t cubic rtt:9/9 cwnd:99',
      'ESTAB     7      0      127.0.0.1:5055 127.0.0.1:41002',
      '\t cubic rtt:1.5/0.75 cwnd:10',
      '',
    ].join('\n');
    expect(parseSs(text, { timeWait: false })).toEqual([expect.objectContaining({ state: 'ESTAB', recvQ: 7, peerPort: 41002, rttMs: 1.5, cwnd: 10 })]);
    expect(parseSs(text).map((r) => r.state)).toEqual(['TIME-WAIT', 'TIME-WAIT', 'ESTAB']);
  });

  it('reads output without the State column (one state selected)', () => {
    expect(parseSs('0 7 127.0.0.1:5055 127.0.0.1:1\n')).toEqual([expect.objectContaining({ state: 'UNKNOWN', recvQ: 0, sendQ: 7 })]);
  });

  it('skips lines it cannot read', () => {
    expect(parseSs('garbage\n\tcwnd:1\nESTAB x y z w\n')).toEqual([]);
  });

  it('parses endpoints', () => {
    expect(parseEndpoint('[fe80::1%eth0]:22')).toEqual({ address: 'fe80::1', port: 22 });
    expect(parseEndpoint('*:*')).toBeNull();
    expect(parseEndpoint('1.2.3.4')).toBeNull();
  });
});
