// The packet list, as Wireshark's top pane: one row per captured segment of the connection, filtered by
// the display filter, sortable by column, with j/k and ↑/↓ moving the selection the ladder shares.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { SegmentEvent } from '../../shared/wire.ts';
import { passes, useFilterState } from './filter-store.ts';
import { moveSelection, nextSort, packetRows, sortRows, TIME_MODES, timeText, type PacketRow, type Sort, type SortKey, type TimeMode } from './packet-rows.ts';

const ROW_H = 20;
const COLUMNS: ReadonlyArray<{ key: SortKey; label: string }> = [
  { key: 'no', label: 'No.' },
  { key: 'time', label: 'Time' },
  { key: 'dir', label: 'Dir' },
  { key: 'flags', label: 'Flags' },
  { key: 'seq', label: 'Seq/Ack' },
  { key: 'len', label: 'Len' },
  { key: 'info', label: 'Info' },
];

interface Props {
  segments: readonly SegmentEvent[];
  notes?: ReadonlyArray<{ retransmission?: boolean; zeroWindow?: boolean; windowUpdate?: boolean } | undefined>;
  selectedSeq: number | null;
  onSelect(seq: number): void;
  /** Said instead of "no segments yet" when the connection's events left the store. */
  gone?: string | undefined;
}

export function PacketList({ segments, notes, selectedSeq, onSelect, gone }: Props) {
  const filter = useFilterState();
  const [sort, setSort] = useState<Sort>({ key: 'no', descending: false });
  const [timeMode, setTimeMode] = useState<TimeMode>('relative');
  const rows = useMemo(() => sortRows(packetRows(segments, (s) => passes(filter, s), notes), sort), [segments, filter, notes, sort]);

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_H,
    overscan: 10,
    getItemKey: (i) => rows[i]!.seg.seq,
  });

  // The selection made elsewhere (the ladder, a key) scrolls into view here.
  const selectedIndex = selectedSeq === null ? -1 : rows.findIndex((r) => r.seg.seq === selectedSeq);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const onKey = (e: KeyboardEvent) => {
    const step = e.key === 'j' || e.key === 'ArrowDown' ? 1 : e.key === 'k' || e.key === 'ArrowUp' ? -1 : e.key === 'Home' ? -Infinity : e.key === 'End' ? Infinity : 0;
    if (step === 0) return;
    e.preventDefault();
    const to = Number.isFinite(step) ? moveSelection(rows, selectedSeq, step) : rows[step < 0 ? 0 : rows.length - 1];
    if (to) onSelect(to.seg.seq);
  };

  return (
    <div className="packet-list">
      <div className="packet-list-head">
        <span data-testid="packet-count">
          {rows.length === segments.length ? `${rows.length} packets` : `${rows.length} of ${segments.length} packets shown`}
        </span>
        <span className="grow" />
        <label>
          time{' '}
          <select data-testid="time-mode" value={timeMode} onChange={(e) => setTimeMode(e.target.value as TimeMode)}>
            {TIME_MODES.map((m) => (
              <option key={m.mode} value={m.mode}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div
        className="packet-scroll"
        ref={scroller}
        tabIndex={0}
        role="grid"
        aria-label="Packets: j/k or ↑/↓ move the selection"
        aria-rowcount={rows.length + 1}
        data-testid="packet-list"
        onKeyDown={onKey}
      >
        <div className="packet-table">
          <div className="packet-row header" role="row" aria-rowindex={1}>
            {COLUMNS.map((c) => (
              <span key={c.key} role="columnheader" aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                <button type="button" data-testid={`sort-${c.key}`} onClick={() => setSort(nextSort(sort, c.key))}>
                  {c.label}
                  {sort.key === c.key ? (sort.descending ? ' ▼' : ' ▲') : ''}
                </button>
              </span>
            ))}
          </div>
          {rows.length === 0 && (
            <p className="empty" data-testid={gone && segments.length === 0 ? 'packets-gone' : undefined}>
              {segments.length > 0 ? 'No packet matches the filter.' : (gone ?? 'No segments captured on this connection yet.')}
            </p>
          )}
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const r = rows[item.index]!;
              return <Row key={item.key} r={r} index={item.index} top={item.start} timeMode={timeMode} selected={r.seg.seq === selectedSeq} onSelect={onSelect} />;
            })}
          </div>
        </div>
      </div>
    </div>
  );
}

function Row({ r, index, top, timeMode, selected, onSelect }: { r: PacketRow; index: number; top: number; timeMode: TimeMode; selected: boolean; onSelect(seq: number): void }) {
  const s = r.seg;
  return (
    <div
      className={`packet-row ${s.direction}${s.flags.includes('RST') ? ' rst' : ''}${selected ? ' selected' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-testid="packet-row"
      data-no={r.no}
      data-seq={s.seq}
      data-len={s.payloadLength}
      data-dir={s.direction}
      style={{ position: 'absolute', left: 0, right: 0, transform: `translateY(${top}px)` }}
      onClick={() => onSelect(s.seq)}
    >
      <span role="gridcell">{r.no}</span>
      <span role="gridcell" data-testid="packet-time">
        {timeText(r, timeMode)}
      </span>
      <span role="gridcell">{s.direction === 'c2s' ? 'c→s' : 's→c'}</span>
      <span role="gridcell">{r.flags}</span>
      <span role="gridcell">
        {s.relativeSeq}/{s.relativeAck ?? '–'}
      </span>
      <span role="gridcell">{s.payloadLength}</span>
      <span role="gridcell" title={r.info}>
        {r.info}
      </span>
    </div>
  );
}
