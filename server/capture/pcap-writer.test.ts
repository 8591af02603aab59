import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildFrame, opt } from './frame-builder.ts';
import { FLAG_ACK, FLAG_PSH, FLAG_SYN } from './packet-decode.ts';
import { createPcapReader, LINKTYPE_ETHERNET } from './pcap-reader.ts';
import { writePcap, type PcapFrame } from './pcap-writer.ts';

const frames: PcapFrame[] = [
  { tsSec: 1694535983, tsNsec: 924347123, data: buildFrame({ srcPort: 60002, dstPort: 5055, flags: FLAG_SYN, seq: 968201655, options: [...opt.mss(65495), ...opt.ws(10)] }), originalLength: 0 },
  {
    tsSec: 1694535983,
    tsNsec: 925392999,
    data: buildFrame({ src: '::1', dst: '::1', srcPort: 60002, dstPort: 5055, flags: FLAG_PSH | FLAG_ACK, seq: 968201656, ack: 3904890890, window: 64, payload: 'Hello1\n' }),
    originalLength: 0,
  },
];

describe('pcap writer', () => {
  it('writes what the reader reads back, with microsecond timestamps', () => {
    const bytes = writePcap(LINKTYPE_ETHERNET, frames);
    const reader = createPcapReader();
    const recs = reader.push(bytes);
    expect(reader.header()).toMatchObject({ littleEndian: true, nanoseconds: false, linkType: LINKTYPE_ETHERNET });
    expect(recs.map((r) => [r.tsSec, r.tsNsec, [...r.data], r.originalLength])).toEqual(
      frames.map((f) => [f.tsSec, Math.floor(f.tsNsec / 1000) * 1000, [...f.data], f.data.length]),
    );
  });

  it('writes a file tcpdump reads: timestamps, addresses, flags, seq and length', () => {
    const text = execFileSync('tcpdump', ['-r', '-', '-nn', '-S', '-tt'], { input: writePcap(LINKTYPE_ETHERNET, frames), stdio: ['pipe', 'pipe', 'pipe'] }).toString();
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^1694535983\.924347 IP 127\.0\.0\.1\.60002 > 127\.0\.0\.1\.5055: Flags \[S\], seq 968201655, .*options \[mss 65495,nop,wscale 10\], length 0$/);
    expect(lines[1]).toMatch(/^1694535983\.925392 IP6 ::1\.60002 > ::1\.5055: Flags \[P\.\], seq 968201656:968201663, ack 3904890890, win 64, length 7$/);
  });

  it('writes a valid empty file', () => {
    const bytes = writePcap(LINKTYPE_ETHERNET, []);
    expect(bytes.length).toBe(24);
    expect(execFileSync('tcpdump', ['-r', '-', '-nn'], { input: bytes, stdio: ['pipe', 'pipe', 'pipe'] }).toString()).toBe('');
  });
});
