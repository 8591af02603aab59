// One line of text for any event (the log's description column, the detail's heading), and labels shared
// by the views. Segments read as Wireshark's Info column, samples as ss prints them.
// Kinds this page does not know yet still get a line, so a newer server never breaks the log.
import type { TcpEvent } from '../../shared/events.ts';
import type { SampleEvent } from '../../shared/wire.ts';
import { segmentLabel } from '../wire/packet-text.ts';

export function describeEvent(e: TcpEvent): string {
  switch (e.kind) {
    case 'open':
      return `${e.origin === 'builtin' ? 'built-in client' : e.origin === 'watched' ? `watched server :${e.localPort}, client` : 'outside client'} ${e.remoteAddress}:${e.remotePort} → :${e.localPort}`;
    case 'close':
      return `closed: ${closeReasonText(e.reason)}${e.code ? ` (${e.code})` : ''}`;
    case 'config':
      return `read buffer ${e.config.bufferSize} B · reply ${e.config.replyMode}${e.config.paused ? ' · reading stopped' : ''}${
        e.config.framing.mode === 'raw' ? '' : ` · framing ${e.config.framing.mode}`
      }`;
    case 'read':
    case 'write':
    case 'reply':
      return `${e.length} B at offset ${e.offset}`;
    case 'message':
      return `message ${e.length} B (${e.firstReadSeq === e.lastReadSeq ? `read #${e.firstReadSeq}` : `reads #${e.firstReadSeq}–#${e.lastReadSeq}`})`;
    case 'error':
      return `${e.rule}: ${e.message}`;
    case 'segment':
      return `${e.direction} ${segmentLabel(e)}`;
    case 'sample':
      return describeSample(e);
    default:
      return describeUnknown(e as unknown as Record<string, unknown>);
  }
}

/** ss's words, in ss's order: "server ESTAB Recv-Q 0 Send-Q 0 rtt 0.05 ms"; what ss did not report is left out. */
function describeSample(e: SampleEvent): string {
  const rtt = e.rttMs === null ? '' : ` rtt ${e.rttMs} ms`;
  return `${e.side} ${e.state} Recv-Q ${e.recvQ} Send-Q ${e.sendQ}${rtt}`;
}

const CLOSE_REASON_TEXT: Record<string, string> = {
  end: 'peer ended (FIN)',
  reset: 'reset (RST)',
  error: 'socket error',
  server: 'closed by server',
  limit: 'closed at a limit',
  protocol: 'protocol error',
};

export function closeReasonText(reason: string): string {
  return CLOSE_REASON_TEXT[reason] ?? reason;
}

/** A short key=value list of the fields the page has no special knowledge of. */
function describeUnknown(e: Record<string, unknown>): string {
  const skip = new Set(['seq', 't', 'connId', 'kind']);
  return Object.entries(e)
    .filter(([k, v]) => !skip.has(k) && (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean'))
    .slice(0, 8)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

/** Events that carry bytes (chunks, framed messages, and any later kind with `hex`) show them in the log. */
export interface ByteCarrier {
  length: number;
  hex: string;
  truncated: boolean;
  offset?: number;
}

export function bytesCarried(e: TcpEvent): (TcpEvent & ByteCarrier) | null {
  const c = e as unknown as Partial<Record<keyof ByteCarrier, unknown>>;
  return typeof c.hex === 'string' && typeof c.length === 'number' ? (e as TcpEvent & ByteCarrier) : null;
}

/** Wall-clock time with milliseconds, the resolution at which reads and writes are told apart. */
export function clockTime(t: number): string {
  const d = new Date(t);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
