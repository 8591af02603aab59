// Writes classic pcap files (microsecond timestamps, little-endian): the format every tool opens,
// Wireshark and tcpdump -r included. Pure: frames in, bytes out.
import { PCAP_GLOBAL_HEADER_BYTES, PCAP_MAX_RECORD_BYTES, PCAP_RECORD_HEADER_BYTES } from './pcap-reader.ts';

export interface PcapFrame {
  tsSec: number;
  tsNsec: number;
  data: Uint8Array;
  originalLength: number;
}

export function pcapGlobalHeader(linkType: number, snapLength = PCAP_MAX_RECORD_BYTES): Buffer {
  const b = Buffer.alloc(PCAP_GLOBAL_HEADER_BYTES);
  b.writeUInt32LE(0xa1b2c3d4, 0);
  b.writeUInt16LE(2, 4);
  b.writeUInt16LE(4, 6);
  b.writeInt32LE(0, 8); // thiszone: timestamps are UTC
  b.writeUInt32LE(0, 12); // sigfigs
  b.writeUInt32LE(snapLength, 16);
  b.writeUInt32LE(linkType, 20);
  return b;
}

export function writePcap(linkType: number, frames: Iterable<PcapFrame>): Buffer {
  const parts: Buffer[] = [pcapGlobalHeader(linkType)];
  let total = PCAP_GLOBAL_HEADER_BYTES;
  for (const f of frames) {
    const h = Buffer.alloc(PCAP_RECORD_HEADER_BYTES);
    h.writeUInt32LE(f.tsSec >>> 0, 0);
    // Truncates, never rounds: rounding up could yield 1 000 000 µs, which readers reject.
    h.writeUInt32LE(Math.floor(f.tsNsec / 1000), 4);
    h.writeUInt32LE(f.data.length, 8);
    h.writeUInt32LE(Math.max(f.originalLength, f.data.length), 12);
    parts.push(h, Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength));
    total += PCAP_RECORD_HEADER_BYTES + f.data.length;
  }
  return Buffer.concat(parts, total);
}
