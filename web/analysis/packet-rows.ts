// The packet list's rows: one per captured segment, numbered in capture order (as Wireshark numbers
// frames, whatever the filter hides), with its time in the chosen reference, sortable by any column.
// Pure: no React, no store.
import type { SegmentEvent } from '../../shared/wire.ts';
import { flagsText, segmentLabel } from '../wire/packet-text.ts';

export type TimeMode = 'absolute' | 'relative' | 'delta';
export const TIME_MODES: ReadonlyArray<{ mode: TimeMode; label: string }> = [
  { mode: 'relative', label: 'since start' },
  { mode: 'delta', label: 'delta' },
  { mode: 'absolute', label: 'absolute' },
];

export type SortKey = 'no' | 'time' | 'dir' | 'flags' | 'seq' | 'len' | 'info';
export interface Sort {
  key: SortKey;
  descending: boolean;
}

export interface PacketRow {
  /** 1-based position in capture order. */
  no: number;
  seg: SegmentEvent;
  /** Milliseconds since the connection's first captured segment. */
  sinceStart: number;
  /** Milliseconds since the previous row shown (before sorting), 0 for the first. */
  delta: number;
  flags: string;
  info: string;
}

/**
 * Rows for `segments` (capture order), keeping those `keep` accepts; `notes` adds Wireshark-like tags
 * (retransmission, zero window) to the info column.
 */
export function packetRows(
  segments: readonly SegmentEvent[],
  keep: (s: SegmentEvent) => boolean = () => true,
  notes?: ReadonlyArray<{ retransmission?: boolean; zeroWindow?: boolean; windowUpdate?: boolean } | undefined>,
): PacketRow[] {
  const t0 = segments[0]?.t ?? 0;
  const out: PacketRow[] = [];
  let prevT: number | null = null;
  segments.forEach((seg, i) => {
    if (!keep(seg)) return;
    const n = notes?.[i];
    const tags = [n?.retransmission && 'TCP Retransmission', n?.zeroWindow && 'TCP ZeroWindow', n?.windowUpdate && 'TCP Window Update'].filter(Boolean);
    out.push({
      no: i + 1,
      seg,
      sinceStart: seg.t - t0,
      delta: prevT === null ? 0 : seg.t - prevT,
      flags: flagsText(seg.flags),
      info: `${tags.length > 0 ? `[${tags.join(', ')}] ` : ''}${segmentLabel(seg)}`,
    });
    prevT = seg.t;
  });
  return out;
}

function sortValue(r: PacketRow, key: SortKey): number | string {
  switch (key) {
    case 'no':
    case 'time':
      return r.no;
    case 'dir':
      return r.seg.direction;
    case 'flags':
      return r.flags;
    case 'seq':
      return r.seg.relativeSeq;
    case 'len':
      return r.seg.payloadLength;
    case 'info':
      return r.info;
  }
}

/** A stable sort: equal values keep capture order, whichever way the column sorts. */
export function sortRows(rows: readonly PacketRow[], sort: Sort): PacketRow[] {
  const sign = sort.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const va = sortValue(a, sort.key);
    const vb = sortValue(b, sort.key);
    if (va < vb) return -sign;
    if (va > vb) return sign;
    return a.no - b.no;
  });
}

/** Clicking a column: sort by it ascending, or flip it if it already sorts. */
export function nextSort(current: Sort, key: SortKey): Sort {
  return current.key === key ? { key, descending: !current.descending } : { key, descending: false };
}

/** The time column's text: seconds with microseconds, or the wall clock with microseconds. */
export function timeText(r: PacketRow, mode: TimeMode): string {
  if (mode === 'relative') return (r.sinceStart / 1000).toFixed(6);
  if (mode === 'delta') return (r.delta / 1000).toFixed(6);
  const d = new Date(r.seg.t);
  const us = Math.floor((r.seg.t % 1000) * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(us, 6)}`;
}

/** The row `step` away from the selected one in the list as shown (clamped); the first row if none is selected. */
export function moveSelection(rows: readonly PacketRow[], selectedSeq: number | null, step: number): PacketRow | undefined {
  if (rows.length === 0) return undefined;
  const at = selectedSeq === null ? -1 : rows.findIndex((r) => r.seg.seq === selectedSeq);
  if (at < 0) return rows[step < 0 ? rows.length - 1 : 0];
  return rows[Math.max(0, Math.min(rows.length - 1, at + step))];
}
