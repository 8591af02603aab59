// The kernel filter on lo keeps each packet once, and a marker datagram keeps that filter from costing
// the first packet of a capture.
//
// On lo the kernel hands tcpdump every packet twice: once leaving (PACKET_OUTGOING) and once arriving.
// libpcap drops the leaving copy only in tcpdump, after the kernel has copied it into the ring and woken
// tcpdump for it. `inbound` in the filter (the kernel's packet-type extension) rejects that copy before
// either: half the copies, half the wake-ups, and twice the frames the same ring holds.
//
// libpcap runs the first frame after it sets a filter through its own filter in userland, and that one
// cannot read the packet type, so it rejects the frame. The filter therefore also admits one UDP
// datagram that tcpscope sends to itself once tcpdump listens (a branch that never reads the packet
// type); it is that frame libpcap checks, and the reader skips it. Should a real segment come first, it
// is the one lost, and it is counted as dropped.
import dgram from 'node:dgram';
import { LINKTYPE_ETHERNET } from './pcap-reader.ts';

/** The marker's destination on 127.0.0.1 (the discard port: nothing need listen there). */
export const START_MARKER_PORT = 9;
const IPPROTO_UDP = 17;

/** The filter on lo: the marker, or `tcpFilter` for arriving packets only. The marker's branch comes first. */
export function withStartMarker(tcpFilter: string): string {
  return `(udp and dst host 127.0.0.1 and dst port ${START_MARKER_PORT}) or (${tcpFilter} and inbound)`;
}

/** Sends the marker; a failure to send is not fatal (a real first frame would then be lost, and counted). */
export function sendStartMarker(): void {
  const socket = dgram.createSocket('udp4');
  socket.on('error', () => {});
  socket.unref();
  socket.send('tcpscope capture start', START_MARKER_PORT, '127.0.0.1', () => socket.close());
}

/** Whether a captured frame is a marker: the filter admits UDP for the marker alone, so any IPv4 UDP frame. */
export function isStartMarker(linkType: number, frame: Uint8Array): boolean {
  return linkType === LINKTYPE_ETHERNET && frame.length > 23 && frame[12] === 0x08 && frame[13] === 0x00 && frame[23] === IPPROTO_UDP;
}
