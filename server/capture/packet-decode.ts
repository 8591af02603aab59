// A pure decoder from one captured frame to the IP and TCP fields the wire view shows, or a reason it
// cannot. It never throws: every length is checked against the bytes actually captured first.
import type { TcpFlag, TcpOptions } from '../../shared/wire.ts';
import { formatIPv4, formatIPv6 } from './ip-address.ts';
import {
  LINKTYPE_ETHERNET,
  LINKTYPE_IPV4,
  LINKTYPE_IPV6,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2,
  LINKTYPE_NULL,
  LINKTYPE_RAW,
} from './pcap-reader.ts';

export interface DecodedSegment {
  ipVersion: 4 | 6;
  srcAddress: string;
  dstAddress: string;
  srcPort: number;
  dstPort: number;
  seqNumber: number;
  ackNumber: number;
  /** The flags byte (CWR … FIN); `flags` names its set bits. */
  flagBits: number;
  flags: TcpFlag[];
  windowRaw: number;
  ipTotalLength: number;
  ipHeaderLength: number;
  tcpHeaderLength: number;
  payloadLength: number;
  options: TcpOptions;
  /** The payload bytes captured: fewer than payloadLength if the snapshot length cut the frame. */
  payload: Uint8Array;
}

export type DecodeResult = { ok: true; segment: DecodedSegment } | { ok: false; error: string };

export const FLAG_FIN = 0x01;
export const FLAG_SYN = 0x02;
export const FLAG_RST = 0x04;
export const FLAG_PSH = 0x08;
export const FLAG_ACK = 0x10;
export const FLAG_URG = 0x20;
export const FLAG_ECE = 0x40;
export const FLAG_CWR = 0x80;

const FLAG_NAMES: [number, TcpFlag][] = [
  [FLAG_CWR, 'CWR'],
  [FLAG_ECE, 'ECE'],
  [FLAG_URG, 'URG'],
  [FLAG_ACK, 'ACK'],
  [FLAG_PSH, 'PSH'],
  [FLAG_RST, 'RST'],
  [FLAG_SYN, 'SYN'],
  [FLAG_FIN, 'FIN'],
];

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const IPPROTO_TCP = 6;
/** IPv6 extension headers that may stand between the fixed header and TCP. */
const IPV6_EXTENSIONS = new Set([0, 43, 60]);
const IPV6_FRAGMENT = 44;
const IPV6_MAX_EXTENSIONS = 8;

const fail = (error: string): DecodeResult => ({ ok: false, error });

export function flagNames(bits: number): TcpFlag[] {
  const out: TcpFlag[] = [];
  for (const [bit, name] of FLAG_NAMES) if (bits & bit) out.push(name);
  return out;
}

/** Where the IP packet starts in the frame and which version the link layer says it is (0: look). */
function linkLayer(linkType: number, f: Uint8Array): { offset: number; etherType: number } | string {
  switch (linkType) {
    case LINKTYPE_ETHERNET: {
      if (f.length < 14) return 'frame truncated in the Ethernet header';
      let etherType = (f[12]! << 8) | f[13]!;
      let offset = 14;
      if (etherType === ETHERTYPE_VLAN) {
        if (f.length < 18) return 'frame truncated in the VLAN tag';
        etherType = (f[16]! << 8) | f[17]!;
        offset = 18;
      }
      return { offset, etherType };
    }
    case LINKTYPE_LINUX_SLL:
      if (f.length < 16) return 'frame truncated in the Linux cooked header';
      return { offset: 16, etherType: (f[14]! << 8) | f[15]! };
    case LINKTYPE_LINUX_SLL2:
      if (f.length < 20) return 'frame truncated in the Linux cooked v2 header';
      return { offset: 20, etherType: (f[0]! << 8) | f[1]! };
    case LINKTYPE_NULL:
      // The address family in host byte order; the IP version nibble tells the same more simply.
      if (f.length < 4) return 'frame truncated in the loopback header';
      return { offset: 4, etherType: 0 };
    case LINKTYPE_RAW:
      return { offset: 0, etherType: 0 };
    case LINKTYPE_IPV4:
      return { offset: 0, etherType: ETHERTYPE_IPV4 };
    case LINKTYPE_IPV6:
      return { offset: 0, etherType: ETHERTYPE_IPV6 };
    default:
      return `unsupported link type ${linkType}`;
  }
}

export function decodeFrame(linkType: number, frame: Uint8Array): DecodeResult {
  const link = linkLayer(linkType, frame);
  if (typeof link === 'string') return fail(link);
  let { offset: ip, etherType } = link;
  if (etherType === 0) {
    if (frame.length <= ip) return fail('frame ends before the IP header');
    const v = frame[ip]! >> 4;
    etherType = v === 4 ? ETHERTYPE_IPV4 : v === 6 ? ETHERTYPE_IPV6 : -1;
  }
  if (etherType === ETHERTYPE_IPV4) return decodeIPv4(frame, ip);
  if (etherType === ETHERTYPE_IPV6) return decodeIPv6(frame, ip);
  return fail(`not IP (ethertype 0x${(etherType >>> 0).toString(16).padStart(4, '0')})`);
}

function decodeIPv4(f: Uint8Array, ip: number): DecodeResult {
  if (f.length - ip < 20) return fail('frame truncated in the IPv4 header');
  if (f[ip]! >> 4 !== 4) return fail(`IPv4 header has version ${f[ip]! >> 4}`);
  const ihl = (f[ip]! & 0x0f) * 4;
  if (ihl < 20) return fail(`IPv4 header length ${ihl} is below 20`);
  if (f.length - ip < ihl) return fail('frame truncated in the IPv4 options');
  let total = (f[ip + 2]! << 8) | f[ip + 3]!;
  // Segmentation offload leaves 0 here in some captures; the frame itself then tells the length.
  if (total === 0) total = f.length - ip;
  if (total < ihl) return fail(`IPv4 total length ${total} is below its header length ${ihl}`);
  const fragField = (f[ip + 6]! << 8) | f[ip + 7]!;
  if ((fragField & 0x1fff) !== 0 || (fragField & 0x2000) !== 0) return fail('IPv4 fragment (not reassembled)');
  if (f[ip + 9] !== IPPROTO_TCP) return fail(`not TCP (IP protocol ${f[ip + 9]})`);
  return decodeTcp(f, ip, 4, formatIPv4(f, ip + 12), formatIPv4(f, ip + 16), total, ihl);
}

function decodeIPv6(f: Uint8Array, ip: number): DecodeResult {
  if (f.length - ip < 40) return fail('frame truncated in the IPv6 header');
  if (f[ip]! >> 4 !== 6) return fail(`IPv6 header has version ${f[ip]! >> 4}`);
  let payloadLen = (f[ip + 4]! << 8) | f[ip + 5]!;
  // A jumbogram (or offloaded segment) says 0 here; the frame itself then tells the length.
  if (payloadLen === 0) payloadLen = f.length - ip - 40;
  let next = f[ip + 6]!;
  let hdrLen = 40;
  for (let n = 0; next !== IPPROTO_TCP; n++) {
    if (next === IPV6_FRAGMENT) return fail('IPv6 fragment (not reassembled)');
    if (!IPV6_EXTENSIONS.has(next)) return fail(`not TCP (IPv6 next header ${next})`);
    if (n >= IPV6_MAX_EXTENSIONS) return fail('too many IPv6 extension headers');
    if (f.length - ip - hdrLen < 8) return fail('frame truncated in an IPv6 extension header');
    const extLen = (f[ip + hdrLen + 1]! + 1) * 8;
    next = f[ip + hdrLen]!;
    hdrLen += extLen;
  }
  const total = payloadLen + 40;
  if (total < hdrLen) return fail(`IPv6 payload length ${payloadLen} is shorter than its extension headers`);
  return decodeTcp(f, ip, 6, formatIPv6(f, ip + 8), formatIPv6(f, ip + 24), total, hdrLen);
}

function decodeTcp(
  f: Uint8Array,
  ip: number,
  ipVersion: 4 | 6,
  srcAddress: string,
  dstAddress: string,
  ipTotalLength: number,
  ipHeaderLength: number,
): DecodeResult {
  const t = ip + ipHeaderLength;
  if (f.length - t < 20) return fail('frame truncated in the TCP header');
  const tcpHeaderLength = (f[t + 12]! >> 4) * 4;
  if (tcpHeaderLength < 20) return fail(`TCP data offset gives a header of ${tcpHeaderLength} bytes, below 20`);
  if (f.length - t < tcpHeaderLength) return fail('frame truncated in the TCP options');
  const payloadLength = ipTotalLength - ipHeaderLength - tcpHeaderLength;
  if (payloadLength < 0) return fail(`TCP header of ${tcpHeaderLength} bytes overruns the IP packet of ${ipTotalLength}`);
  const options = decodeOptions(f, t + 20, t + tcpHeaderLength);
  if (typeof options === 'string') return fail(options);
  const flagBits = f[t + 13]!;
  const payloadStart = t + tcpHeaderLength;
  return {
    ok: true,
    segment: {
      ipVersion,
      srcAddress,
      dstAddress,
      srcPort: (f[t]! << 8) | f[t + 1]!,
      dstPort: (f[t + 2]! << 8) | f[t + 3]!,
      seqNumber: readU32(f, t + 4),
      ackNumber: readU32(f, t + 8),
      flagBits,
      flags: flagNames(flagBits),
      windowRaw: (f[t + 14]! << 8) | f[t + 15]!,
      ipTotalLength,
      ipHeaderLength,
      tcpHeaderLength,
      payloadLength,
      options,
      payload: f.subarray(payloadStart, Math.min(f.length, payloadStart + payloadLength)),
    },
  };
}

function readU32(f: Uint8Array, i: number): number {
  return ((f[i]! << 24) | (f[i + 1]! << 16) | (f[i + 2]! << 8) | f[i + 3]!) >>> 0;
}

function decodeOptions(f: Uint8Array, start: number, end: number): TcpOptions | string {
  const o: TcpOptions = {};
  let i = start;
  while (i < end) {
    const kind = f[i]!;
    if (kind === 0) break; // end of option list
    if (kind === 1) {
      i++;
      continue;
    }
    if (i + 1 >= end) return `TCP option ${kind} has no length byte`;
    const len = f[i + 1]!;
    if (len < 2 || i + len > end) return `TCP option ${kind} has a bad length ${len}`;
    switch (kind) {
      case 2:
        if (len !== 4) return `TCP MSS option has length ${len}, not 4`;
        o.mss = (f[i + 2]! << 8) | f[i + 3]!;
        break;
      case 3:
        if (len !== 3) return `TCP window scale option has length ${len}, not 3`;
        o.windowScale = f[i + 2]!;
        break;
      case 4:
        if (len !== 2) return `TCP SACK-permitted option has length ${len}, not 2`;
        o.sackPermitted = true;
        break;
      case 5: {
        if ((len - 2) % 8 !== 0) return `TCP SACK option has length ${len}, not 2 + 8n`;
        const blocks: [number, number][] = [];
        for (let b = i + 2; b < i + len; b += 8) blocks.push([readU32(f, b), readU32(f, b + 4)]);
        o.sack = blocks;
        break;
      }
      case 8:
        if (len !== 10) return `TCP timestamps option has length ${len}, not 10`;
        o.timestamps = { value: readU32(f, i + 2), echo: readU32(f, i + 6) };
        break;
      default:
        break; // other options are skipped by their length
    }
    i += len;
  }
  return o;
}
