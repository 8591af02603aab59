// Builds captured frames by hand for the decoder, tracker and writer tests: Ethernet (or Linux cooked)
// + IPv4/IPv6 + TCP with options, lengths filled in as a kernel would. Checksums are left zero: no
// part of tcpscope checks them, and loopback captures carry unfinished ones anyway.
import { addressBytes } from './ip-address.ts';
import { LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_RAW } from './pcap-reader.ts';

export interface FrameSpec {
  src?: string;
  dst?: string;
  srcPort?: number;
  dstPort?: number;
  seq?: number;
  ack?: number;
  /** The flags byte: FLAG_SYN | FLAG_ACK, … */
  flags?: number;
  window?: number;
  /** Raw option bytes (padded to a multiple of 4 with NOPs). */
  options?: number[];
  payload?: Uint8Array | string;
  linkType?: number;
}

export const opt = {
  mss: (v: number) => [2, 4, v >> 8, v & 0xff],
  ws: (shift: number) => [1, 3, 3, shift],
  sackOk: () => [4, 2],
  ts: (value: number, echo: number) => [8, 10, ...u32(value), ...u32(echo)],
};

function u32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

export function buildFrame(spec: FrameSpec): Uint8Array {
  const src = addressBytes(spec.src ?? '127.0.0.1')!;
  const dst = addressBytes(spec.dst ?? '127.0.0.1')!;
  const v6 = src.length === 16;
  const payload = typeof spec.payload === 'string' ? new TextEncoder().encode(spec.payload) : (spec.payload ?? new Uint8Array(0));
  const options = [...(spec.options ?? [])];
  while (options.length % 4 !== 0) options.push(1);
  const tcpLen = 20 + options.length;

  const tcp = new Uint8Array(tcpLen + payload.length);
  tcp[0] = (spec.srcPort ?? 40000) >> 8;
  tcp[1] = (spec.srcPort ?? 40000) & 0xff;
  tcp[2] = (spec.dstPort ?? 5055) >> 8;
  tcp[3] = (spec.dstPort ?? 5055) & 0xff;
  tcp.set(u32(spec.seq ?? 1000), 4);
  tcp.set(u32(spec.ack ?? 0), 8);
  tcp[12] = (tcpLen / 4) << 4;
  tcp[13] = spec.flags ?? 0x10;
  tcp[14] = (spec.window ?? 65535) >> 8;
  tcp[15] = (spec.window ?? 65535) & 0xff;
  tcp.set(options, 20);
  tcp.set(payload, tcpLen);

  let ip: Uint8Array;
  if (v6) {
    ip = new Uint8Array(40 + tcp.length);
    ip[0] = 0x60;
    ip[4] = tcp.length >> 8;
    ip[5] = tcp.length & 0xff;
    ip[6] = 6;
    ip[7] = 64;
    ip.set(src, 8);
    ip.set(dst, 24);
    ip.set(tcp, 40);
  } else {
    ip = new Uint8Array(20 + tcp.length);
    ip[0] = 0x45;
    ip[2] = ip.length >> 8;
    ip[3] = ip.length & 0xff;
    ip[6] = 0x40; // don't fragment
    ip[8] = 64;
    ip[9] = 6;
    ip.set(src, 12);
    ip.set(dst, 16);
    ip.set(tcp, 20);
  }
  const etherType = v6 ? 0x86dd : 0x0800;
  switch (spec.linkType ?? LINKTYPE_ETHERNET) {
    case LINKTYPE_ETHERNET: {
      const f = new Uint8Array(14 + ip.length);
      f[12] = etherType >> 8;
      f[13] = etherType & 0xff;
      f.set(ip, 14);
      return f;
    }
    case LINKTYPE_LINUX_SLL: {
      const f = new Uint8Array(16 + ip.length);
      f[14] = etherType >> 8;
      f[15] = etherType & 0xff;
      f.set(ip, 16);
      return f;
    }
    case LINKTYPE_LINUX_SLL2: {
      const f = new Uint8Array(20 + ip.length);
      f[0] = etherType >> 8;
      f[1] = etherType & 0xff;
      f.set(ip, 20);
      return f;
    }
    case LINKTYPE_RAW:
      return ip;
    default:
      throw new Error(`frame-builder: link type ${spec.linkType} not supported`);
  }
}
