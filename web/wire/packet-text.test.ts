import { describe, expect, it } from 'vitest';
import { arrowKind, durationText, flagsText, lengthNotes, nextRelativeSeq, optionsText, payloadSubtraction, segmentLabel, windowText } from './packet-text.ts';

const tutorial = { ipVersion: 4 as const, ipTotalLength: 47, ipHeaderLength: 20, tcpHeaderLength: 20, payloadLength: 7 };

describe('packet text', () => {
  it("writes the tutorial's subtraction with the segment's numbers", () => {
    expect(payloadSubtraction(tutorial)).toBe('IP total length 47 − IP header 20 − TCP header 20 = 7 bytes payload');
    expect(payloadSubtraction({ ...tutorial, ipTotalLength: 59, tcpHeaderLength: 32 })).toBe(
      'IP total length 59 − IP header 20 − TCP header 32 = 7 bytes payload',
    );
    expect(lengthNotes({ ...tutorial, ipTotalLength: 59, tcpHeaderLength: 32 })).toEqual([
      'IPv4 header: IHL 5 × 4 = 20 bytes.',
      'TCP header: data offset 8 × 4 = 32 bytes (20 fixed + 12 of options).',
    ]);
  });

  it('explains the fixed 40-byte IPv6 header', () => {
    const v6 = { ipVersion: 6 as const, ipTotalLength: 79, ipHeaderLength: 40, tcpHeaderLength: 32, payloadLength: 7 };
    expect(payloadSubtraction(v6)).toBe('IP total length 79 − IPv6 header 40 − TCP header 32 = 7 bytes payload');
    expect(lengthNotes(v6)[0]).toContain('payload length (39)');
  });

  it('labels segments as Wireshark does', () => {
    expect(flagsText(['ACK', 'SYN'])).toBe('SYN, ACK');
    expect(flagsText(['ACK', 'PSH'])).toBe('PSH, ACK');
    expect(flagsText(['ACK', 'FIN'])).toBe('FIN, ACK');
    expect(segmentLabel({ flags: ['ACK', 'PSH'], relativeSeq: 1, relativeAck: 1, payloadLength: 21, window: 65536 })).toBe(
      '[PSH, ACK] Seq=1 Ack=1 Win=65536 Len=21',
    );
    expect(segmentLabel({ flags: ['SYN'], relativeSeq: 0, relativeAck: null, payloadLength: 0, window: 65495 })).toBe('[SYN] Seq=0 Win=65495 Len=0');
    expect(['RST', 'SYN', 'FIN'].map((f) => arrowKind({ flags: [f as 'RST', 'ACK'], payloadLength: 0 }))).toEqual(['rst', 'syn', 'fin']);
    expect(arrowKind({ flags: ['ACK'], payloadLength: 3 })).toBe('data');
    expect(arrowKind({ flags: ['ACK'], payloadLength: 0 })).toBe('ack');
  });

  it('shows window scaling and options', () => {
    expect(windowText({ windowRaw: 512, windowShift: 7, window: 65536, flags: ['ACK'] })).toBe('512 × 2^7 = 65536 bytes');
    expect(windowText({ windowRaw: 65495, windowShift: 0, window: 65495, flags: ['SYN'] })).toBe('65495 bytes (never scaled on a SYN)');
    expect(windowText({ windowRaw: 10, windowShift: null, window: 10, flags: ['ACK'] })).toContain('scale unknown');
    expect(optionsText({ mss: 65495, sackPermitted: true, windowScale: 7, timestamps: { value: 1, echo: 0 } })).toEqual([
      'MSS 65495',
      'SACK permitted',
      'window scale 7 (× 128)',
      'timestamps val 1 ecr 0',
    ]);
  });

  it('knows what the other side will acknowledge', () => {
    expect(nextRelativeSeq({ flags: ['SYN'], relativeSeq: 0, payloadLength: 0 })).toBe(1);
    expect(nextRelativeSeq({ flags: ['ACK', 'PSH'], relativeSeq: 1, payloadLength: 7 })).toBe(8);
    expect(nextRelativeSeq({ flags: ['ACK', 'FIN'], relativeSeq: 8, payloadLength: 0 })).toBe(9);
    expect(durationText(0.05)).toBe('50 µs');
    expect(durationText(1500)).toBe('1.50 s');
  });
});
