// The sequence ladder's rows: every segment, write, read and reply of one connection on one time
// axis, one row each in the order they happened. Rows, not milliseconds: on loopback a handshake takes
// microseconds and the next write may come seconds later, so time is written beside each row instead.
import type { ChunkEvent, EventOf } from '../../shared/events.ts';
import type { SegmentEvent } from '../../shared/wire.ts';
import type { SegmentNotes } from './stream-health.ts';
import type { ConnWire } from './wire-data.ts';

export type LadderItem =
  | { kind: 'segment'; t: number; segment: SegmentEvent; notes: SegmentNotes | undefined; index: number }
  | { kind: 'write' | 'read' | 'reply'; t: number; chunk: ChunkEvent; index: number }
  | { kind: 'close'; t: number; event: EventOf<'close'> };

export interface LadderLayout {
  items: LadderItem[];
  /** Rows left out in the middle of a long connection: after item `at`, `count` items. */
  elided: { at: number; count: number } | null;
  /** The time of the first item: rows show their time since it. */
  t0: number;
}

/** Kept at the start of a long connection (its handshake and first exchange); the rest from its end. */
export const LADDER_HEAD_ROWS = 40;

/** At equal times: the write comes before the segment that carries it, and that before the read. */
const KIND_RANK: Record<LadderItem['kind'], number> = { write: 0, segment: 1, read: 2, reply: 3, close: 4 };

export function ladderLayout(wire: ConnWire, notes: readonly SegmentNotes[], maxRows: number): LadderLayout {
  const all: LadderItem[] = [];
  wire.segments.forEach((segment, i) => all.push({ kind: 'segment', t: segment.t, segment, notes: notes[i], index: i }));
  wire.writes.forEach((chunk, i) => all.push({ kind: 'write', t: chunk.t, chunk, index: i }));
  wire.reads.forEach((chunk, i) => all.push({ kind: 'read', t: chunk.t, chunk, index: i }));
  wire.replies.forEach((chunk, i) => all.push({ kind: 'reply', t: chunk.t, chunk, index: i }));
  if (wire.close !== null) all.push({ kind: 'close', t: wire.close.t, event: wire.close });
  all.sort((a, b) => a.t - b.t || KIND_RANK[a.kind] - KIND_RANK[b.kind]);
  const t0 = all[0]?.t ?? 0;
  if (all.length <= maxRows) return { items: all, elided: null, t0 };
  const head = Math.min(LADDER_HEAD_ROWS, Math.floor(maxRows / 2));
  const tail = maxRows - head;
  return { items: [...all.slice(0, head), ...all.slice(all.length - tail)], elided: { at: head, count: all.length - head - tail }, t0 };
}

/**
 * "3 writes → 1 segment → 3 reads": how the client's writes became segments and the server's reads.
 * Writes are only known for the built-in client; an outside client's start at the segments.
 */
export function flowSummary(wire: ConnWire): string | null {
  const dataSegments = wire.segments.filter((s) => s.direction === 'c2s' && s.payloadLength > 0).length;
  const parts: string[] = [];
  if (wire.writes.length > 0) parts.push(plural(wire.writes.length, 'write'));
  if (wire.segments.length > 0) parts.push(plural(dataSegments, 'data segment'));
  if (wire.reads.length > 0 || parts.length > 0) parts.push(plural(wire.reads.length, 'read'));
  return parts.length < 2 ? null : parts.join(' → ');
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;
}
