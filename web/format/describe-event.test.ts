import { describe, expect, it } from 'vitest';
import type { TcpEvent } from '../../shared/events.ts';
import { DEFAULT_CONFIG } from '../../shared/config.ts';
import type { SampleEvent, SegmentEvent } from '../../shared/wire.ts';
import { bytesCarried, clockTime, describeEvent, formatBytes } from './describe-event.ts';

const base = { seq: 1, t: 0, connId: 3 };

describe('describeEvent', () => {
  it('names the side and address of an open', () => {
    const e: TcpEvent = {
      ...base,
      kind: 'open',
      origin: 'external',
      remoteAddress: '127.0.0.1',
      remotePort: 50123,
      localAddress: '127.0.0.1',
      localPort: 5055,
    };
    expect(describeEvent(e)).toBe('outside client 127.0.0.1:50123 → :5055');
  });

  it('explains a close reason and its code', () => {
    expect(describeEvent({ ...base, kind: 'close', reason: 'reset', code: 'ECONNRESET' })).toBe(
      'closed: reset (RST) (ECONNRESET)',
    );
  });

  it('summarises a config change', () => {
    expect(describeEvent({ ...base, connId: 0, kind: 'config', config: { ...DEFAULT_CONFIG, bufferSize: 7 } })).toBe(
      'read buffer 7 B · reply ack',
    );
  });

  it('describes framed messages and framing errors', () => {
    const msg: TcpEvent = { ...base, kind: 'message', offset: 7, length: 6, hex: '', truncated: false, firstReadSeq: 4, lastReadSeq: 5 };
    expect(describeEvent(msg)).toBe('message 6 B (reads #4–#5)');
    expect(describeEvent({ ...msg, length: 7, firstReadSeq: 9, lastReadSeq: 9 })).toBe('message 7 B (read #9)');
    expect(describeEvent({ ...base, kind: 'error', rule: 'delimiter-not-found', message: 'no \\n in 65536 bytes' })).toBe(
      'delimiter-not-found: no \\n in 65536 bytes',
    );
  });

  it('reads a segment as Wireshark’s Info column, with its direction', () => {
    const segment: SegmentEvent = {
      ...base,
      kind: 'segment',
      direction: 'c2s',
      flags: ['ACK', 'PSH'],
      ipVersion: 4,
      seqNumber: 1000,
      ackNumber: 2000,
      relativeSeq: 1,
      relativeAck: 1,
      windowRaw: 512,
      window: 65536,
      windowShift: 7,
      payloadLength: 21,
      ipTotalLength: 93,
      ipHeaderLength: 20,
      tcpHeaderLength: 52,
      options: {},
      hex: '',
      truncated: false,
    };
    expect(describeEvent(segment)).toBe('c2s [PSH, ACK] Seq=1 Ack=1 Win=65536 Len=21');
    expect(describeEvent({ ...segment, direction: 's2c', flags: ['SYN'], relativeSeq: 0, relativeAck: null, window: 65483, payloadLength: 0 })).toBe(
      's2c [SYN] Seq=0 Win=65483 Len=0',
    );
  });

  it('reads a socket sample as ss prints it, leaving out what ss did not report', () => {
    const sample: SampleEvent = {
      ...base,
      kind: 'sample',
      side: 'server',
      state: 'ESTAB',
      recvQ: 0,
      sendQ: 0,
      rttMs: 0.05,
      rttVarMs: 0.025,
      cwnd: 10,
      sndWnd: 65536,
      rcvWnd: 65536,
      rcvSpace: 65483,
      mss: 65483,
    };
    expect(describeEvent(sample)).toBe('server ESTAB Recv-Q 0 Send-Q 0 rtt 0.05 ms');
    expect(describeEvent({ ...sample, side: 'client', state: 'FIN-WAIT-2', recvQ: 42, rttMs: null })).toBe('client FIN-WAIT-2 Recv-Q 42 Send-Q 0');
  });

  it('finds bytes in any kind that carries hex, known or not', () => {
    const future = { ...base, kind: 'datagram', length: 3, hex: '41 42 43', truncated: false } as unknown as TcpEvent;
    expect(bytesCarried(future)?.hex).toBe('41 42 43');
    expect(bytesCarried({ ...base, kind: 'close', reason: 'end' })).toBeNull();
  });

  it('still describes a kind it does not know', () => {
    const future = { ...base, kind: 'probe', rtt: 12, cwnd: 10, nested: { a: 1 } } as unknown as TcpEvent;
    expect(describeEvent(future)).toBe('rtt=12 cwnd=10');
  });
});

describe('formatting helpers', () => {
  it('formats byte counts', () => {
    expect(formatBytes(21)).toBe('21 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MiB');
  });

  it('formats a clock time to the millisecond', () => {
    expect(clockTime(new Date(2024, 0, 1, 9, 5, 3, 7).getTime())).toBe('09:05:03.007');
  });
});
