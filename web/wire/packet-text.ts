// The words and numbers the ladder and the packet detail show for a segment, as Wireshark would put
// them, and the tutorial's subtraction that gives the payload length. Pure: no React, no store.
import type { SegmentEvent, TcpOptions } from '../../shared/wire.ts';

/** Wireshark's order in its Info column: [SYN, ACK], [PSH, ACK], [FIN, ACK], [RST, ACK]. */
const FLAG_ORDER = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'] as const;

export function flagsText(flags: readonly string[]): string {
  const known = FLAG_ORDER.filter((f) => flags.includes(f));
  return known.length === 0 ? 'none' : known.join(', ');
}

type LabelFields = Pick<SegmentEvent, 'flags' | 'relativeSeq' | 'relativeAck' | 'payloadLength' | 'window'>;

/** "[PSH, ACK] Seq=1 Ack=1 Win=65536 Len=21", with relative numbers, as Wireshark's Info column. */
export function segmentLabel(s: LabelFields): string {
  const ack = s.relativeAck === null ? '' : ` Ack=${s.relativeAck}`;
  return `[${flagsText(s.flags)}] Seq=${s.relativeSeq}${ack} Win=${s.window} Len=${s.payloadLength}`;
}

export type ArrowKind = 'syn' | 'fin' | 'rst' | 'data' | 'ack';

export function arrowKind(s: Pick<SegmentEvent, 'flags' | 'payloadLength'>): ArrowKind {
  if (s.flags.includes('RST')) return 'rst';
  if (s.flags.includes('SYN')) return 'syn';
  if (s.flags.includes('FIN')) return 'fin';
  return s.payloadLength > 0 ? 'data' : 'ack';
}

type LengthFields = Pick<SegmentEvent, 'ipVersion' | 'ipTotalLength' | 'ipHeaderLength' | 'tcpHeaderLength' | 'payloadLength'>;

/**
 * The tutorial's subtraction, with this segment's numbers: TCP carries no length of its own, so the
 * payload is what the IP packet holds beyond the two headers.
 */
export function payloadSubtraction(s: LengthFields): string {
  const ipHeader = s.ipVersion === 6 ? 'IPv6 header' : 'IP header';
  return `IP total length ${s.ipTotalLength} − ${ipHeader} ${s.ipHeaderLength} − TCP header ${s.tcpHeaderLength} = ${s.payloadLength} ${s.payloadLength === 1 ? 'byte' : 'bytes'} payload`;
}

/** Where the numbers of the subtraction come from, in a sentence or two. */
export function lengthNotes(s: LengthFields): string[] {
  const notes: string[] = [];
  if (s.ipVersion === 6) {
    notes.push(
      `IPv6 has no total length field: its payload length (${s.ipTotalLength - s.ipHeaderLength}) counts what follows the fixed ${s.ipHeaderLength}-byte header, so the total is that plus ${s.ipHeaderLength}.`,
    );
  } else {
    notes.push(`IPv4 header: IHL ${s.ipHeaderLength / 4} × 4 = ${s.ipHeaderLength} bytes.`);
  }
  const options = s.tcpHeaderLength - 20;
  notes.push(
    options > 0
      ? `TCP header: data offset ${s.tcpHeaderLength / 4} × 4 = ${s.tcpHeaderLength} bytes (20 fixed + ${options} of options).`
      : `TCP header: data offset 5 × 4 = 20 bytes, no options.`,
  );
  return notes;
}

type WindowFields = Pick<SegmentEvent, 'windowRaw' | 'windowShift' | 'window' | 'flags'>;

/** "64 × 2^7 = 8192 bytes", or why no scale applies. */
export function windowText(s: WindowFields): string {
  if (s.flags.includes('SYN')) return `${s.window} bytes (never scaled on a SYN)`;
  if (s.windowShift === null) return `${s.windowRaw} (scale unknown: the handshake was not captured)`;
  if (s.windowShift === 0) return `${s.window} bytes (no scaling)`;
  return `${s.windowRaw} × 2^${s.windowShift} = ${s.window} bytes`;
}

export function optionsText(o: TcpOptions): string[] {
  const out: string[] = [];
  if (o.mss !== undefined) out.push(`MSS ${o.mss}`);
  if (o.sackPermitted) out.push('SACK permitted');
  if (o.windowScale !== undefined) out.push(`window scale ${o.windowScale} (× ${2 ** o.windowScale})`);
  if (o.timestamps !== undefined) out.push(`timestamps val ${o.timestamps.value} ecr ${o.timestamps.echo}`);
  if (o.sack !== undefined && o.sack.length > 0) out.push(`SACK ${o.sack.map(([l, r]) => `${l}–${r}`).join(', ')}`);
  return out;
}

/** The sequence number the other side acknowledges once this segment arrives (SYN and FIN count one). */
export function nextRelativeSeq(s: Pick<SegmentEvent, 'flags' | 'relativeSeq' | 'payloadLength'>): number {
  return s.relativeSeq + s.payloadLength + (s.flags.includes('SYN') ? 1 : 0) + (s.flags.includes('FIN') ? 1 : 0);
}

/** "0.123 ms", "1.20 s": a gap between two moments, short. */
export function durationText(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : ms < 100 ? 1 : 0)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
