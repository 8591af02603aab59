// The few TCP header fields the capture needs to decide whether a segment is shown in detail, read
// straight from the frame into one reusable object: no address strings, no options, no allocation.
// A frame this cannot read goes to the full decoder (packet-decode.ts), which says why.
import { LINKTYPE_ETHERNET, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_NULL, LINKTYPE_RAW } from './pcap-reader.ts';

export interface SegmentPeek {
  ipVersion: 4 | 6;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  windowRaw: number;
  payloadLength: number;
  /** The server end's port (the echo port or a watched one): which end is the client. */
  serverPort: number;
  /** The client end's port, IP version and (the low 32 bits of) its address, as one exact number. */
  clientKey: number;
}

export function newPeek(): SegmentPeek {
  return { ipVersion: 4, srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, windowRaw: 0, payloadLength: 0, serverPort: 0, clientKey: 0 };
}

function ipOffset(linkType: number, f: Uint8Array): number {
  switch (linkType) {
    case LINKTYPE_ETHERNET:
      // IPv4 (0x0800) or IPv6 (0x86DD) straight after the header; VLAN tags go to the full decoder.
      return f.length >= 14 && ((f[12] === 0x08 && f[13] === 0x00) || (f[12] === 0x86 && f[13] === 0xdd)) ? 14 : -1;
    case LINKTYPE_LINUX_SLL:
      return 16;
    case LINKTYPE_LINUX_SLL2:
      return 20;
    case LINKTYPE_NULL:
      return 4;
    case LINKTYPE_RAW:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
      return 0;
    default:
      return -1;
  }
}

const u32 = (f: Uint8Array, i: number): number => ((f[i]! << 24) | (f[i + 1]! << 16) | (f[i + 2]! << 8) | f[i + 3]!) >>> 0;

/** One server port, or the set of them (the echo port and the watched ones): a set may change between frames. */
export type ServerPorts = number | ReadonlySet<number>;

export const isServerPort = (ports: ServerPorts, port: number): boolean => (typeof ports === 'number' ? port === ports : ports.has(port));

/**
 * Fills `out` from the frame when it is a plain IPv4 or IPv6 (no extension headers) TCP segment whose
 * headers were captured whole; returns false otherwise. `serverPorts` tells which end is the client: the
 * destination when it is a server port, else the source.
 */
export function peekSegment(linkType: number, f: Uint8Array, serverPorts: ServerPorts, out: SegmentPeek): boolean {
  const ip = ipOffset(linkType, f);
  if (ip < 0 || f.length < ip + 20) return false;
  const version = f[ip]! >> 4;
  let t: number;
  let ipTotal: number;
  let ipHeader: number;
  if (version === 4) {
    ipHeader = (f[ip]! & 0x0f) * 4;
    ipTotal = (f[ip + 2]! << 8) | f[ip + 3]!;
    if (ipHeader < 20 || ipTotal < ipHeader || f[ip + 9] !== 6 || ((f[ip + 6]! << 8) | f[ip + 7]!) & 0x3fff) return false;
    t = ip + ipHeader;
  } else if (version === 6) {
    if (f.length < ip + 40 || f[ip + 6] !== 6) return false;
    ipHeader = 40;
    ipTotal = ((f[ip + 4]! << 8) | f[ip + 5]!) + 40;
    if (ipTotal === 40) return false; // a jumbogram or offloaded length: the full decoder handles it
    t = ip + 40;
  } else return false;
  if (f.length < t + 20) return false;
  const tcpHeader = (f[t + 12]! >> 4) * 4;
  const payloadLength = ipTotal - ipHeader - tcpHeader;
  if (tcpHeader < 20 || f.length < t + tcpHeader || payloadLength < 0) return false;
  out.ipVersion = version;
  out.srcPort = (f[t]! << 8) | f[t + 1]!;
  out.dstPort = (f[t + 2]! << 8) | f[t + 3]!;
  out.seq = u32(f, t + 4);
  out.ack = u32(f, t + 8);
  out.flags = f[t + 13]!;
  out.windowRaw = (f[t + 14]! << 8) | f[t + 15]!;
  out.payloadLength = payloadLength;
  const clientIsSrc = isServerPort(serverPorts, out.dstPort);
  out.serverPort = clientIsSrc ? out.dstPort : out.srcPort;
  const port = clientIsSrc ? out.srcPort : out.dstPort;
  // The address's last 4 bytes: IPv4 source at ip+12, destination at ip+16; IPv6 at ip+20 and ip+36.
  const addrAt = version === 4 ? (clientIsSrc ? ip + 12 : ip + 16) : clientIsSrc ? ip + 20 : ip + 36;
  out.clientKey = ((version === 6 ? 65536 : 0) + port) * 2 ** 32 + u32(f, addrAt);
  return true;
}
