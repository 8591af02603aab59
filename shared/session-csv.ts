// The reads, writes, replies and messages of a session as one CSV table, for a spreadsheet. Pure, so that
// the server (GET /api/session.csv) and the page (a file opened offline) write the same table.
import type { TcpEvent } from './events.ts';

export const SESSION_CSV_KINDS = ['write', 'read', 'reply', 'message'] as const;

export const SESSION_CSV_COLUMNS = [
  'seq',
  'time',
  't_ms',
  'conn',
  'kind',
  'offset',
  'length',
  'first_read_seq',
  'last_read_seq',
  'truncated',
  'hex',
] as const;

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
function field(v: string | number | boolean): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The row of one event (no line end), or null for kinds the table leaves out. */
export function sessionCsvRow(e: TcpEvent): string | null {
  if (e.kind !== 'write' && e.kind !== 'read' && e.kind !== 'reply' && e.kind !== 'message') return null;
  const range = e.kind === 'message' ? [e.firstReadSeq, e.lastReadSeq] : ['', ''];
  return [e.seq, new Date(e.t).toISOString(), e.t, e.connId, e.kind, e.offset, e.length, ...range, e.truncated, e.hex].map(field).join(',');
}

/** One row per chunk and message event, oldest first, CRLF line ends; `hex` holds the (possibly cut) bytes as the file has them. */
export function sessionCsv(events: readonly TcpEvent[]): string {
  const lines = [SESSION_CSV_COLUMNS.join(',')];
  for (const e of events) {
    const row = sessionCsvRow(e);
    if (row !== null) lines.push(row);
  }
  return lines.join('\r\n') + '\r\n';
}
