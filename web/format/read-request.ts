// What a read or write call asked for against what it got. A watched server's call carries its own count
// (`requested`: the buffer it passed, the sum for readv/recvmsg); the echo server's reads ask for the read
// buffer in force when they were made, which the config history holds. One wording for the log, the
// event detail, the chart and the ribbon: "read 21 of 1024 requested".
import type { TcpEvent } from '../../shared/events.ts';
import { configAt, type ConfigSince } from '../stream/event-state.ts';

/** The count the call asked for, or null when the page cannot know (another kind, or history gone). */
export function requestedBy(e: TcpEvent, history: readonly ConfigSince[]): number | null {
  if (e.kind !== 'read' && e.kind !== 'reply') return null;
  if (e.requested !== undefined) return e.requested;
  // The echo server's replies write all they have; its reads ask for its read buffer.
  return e.kind === 'read' ? (configAt(history, e.seq)?.bufferSize ?? null) : null;
}

/** "read 21 of 1024 requested", "reply 8 of 12 offered (short write)", or "read 21" when unknown. */
export function requestedText(kind: 'read' | 'reply' | 'write', length: number, requested: number | null): string {
  if (requested === null) return `${kind} ${length}`;
  if (kind === 'read') return `read ${length} of ${requested} requested`;
  return `${kind} ${length} of ${requested} offered${length < requested ? ' (short write)' : ''}`;
}

/** The log's length cell: "21/1024" for a read (got/asked), the length alone where nothing was asked. */
export function lengthCell(length: number, requested: number | null): string {
  return requested === null ? String(length) : `${length}/${requested}`;
}
