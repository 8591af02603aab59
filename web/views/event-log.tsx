// Every event, newest at the top, as a virtual list: only the rows on screen exist in the DOM, so
// 20,000 events scroll like 20. A row shows the bytes in hex and ASCII as the echo server logs them.
import { useLayoutEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { EVENT_KINDS, type TcpEvent } from '../../shared/events.ts';
import { bytesCarried, clockTime, describeEvent } from '../format/describe-event.ts';
import { eventAscii } from '../format/event-bytes.ts';
import { useStoreView } from '../stream/event-store.ts';
import { configAt, type ConfigSince } from '../stream/event-state.ts';
import { describeConfigChange } from '../format/config-change.ts';
import { EventDetail } from './event-detail.tsx';
import { filterLog, kindsPresent, rowsNewerThan } from './log-filter.ts';
import { kindColor } from './palette.ts';
import { useDisplayFiltered } from '../analysis/filter-store.ts';
import { requestedBy, requestedText } from '../format/read-request.ts';

const ROW_HEIGHT = 22;

export function EventLog({ selectedConnId }: { selectedConnId: number | null }) {
  const { events, configHistory } = useStoreView();
  const [hiddenKinds, setHiddenKinds] = useState<ReadonlySet<string>>(() => new Set());
  const [onlySelected, setOnlySelected] = useState(false);
  const [picked, setPicked] = useState<TcpEvent | null>(null);
  const connId = onlySelected ? selectedConnId : null;
  const rows = useDisplayFiltered(useMemo(() => filterLog(events, { hiddenKinds, connId }), [events, hiddenKinds, connId]));
  const kinds = useMemo(() => kindsPresent(events, EVENT_KINDS), [events]);

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (i) => rows[i]!.seq,
  });

  // New rows arrive at the top. A reader scrolled down to an older row keeps it in place; a reader
  // at the top keeps seeing the newest.
  const newestSeq = useRef(-1);
  useLayoutEffect(() => {
    const el = scroller.current;
    const added = rowsNewerThan(rows, newestSeq.current);
    // The virtualizer's own record of the scroll position: reading el.scrollTop here would force a layout
    // of the whole page inside every commit.
    if (el && added > 0 && newestSeq.current >= 0 && (virtualizer.scrollOffset ?? 0) > ROW_HEIGHT / 2) el.scrollTop += added * ROW_HEIGHT;
    newestSeq.current = rows[0]?.seq ?? -1;
  }, [rows]);

  // A row moved to by key is focused once it is rendered: at once when it is on screen, otherwise after the
  // scroll that brings it, which may take the virtualizer more than one frame.
  const focusAfterScroll = useRef<number | null>(null);
  const focusPending = (): void => {
    const index = focusAfterScroll.current;
    if (index === null) return;
    const row = scroller.current?.querySelector<HTMLElement>(`[data-index="${index}"]`);
    if (!row) return;
    focusAfterScroll.current = null;
    row.focus();
  };
  useLayoutEffect(focusPending);

  const toggleKind = (kind: string) =>
    setHiddenKinds((prev) => {
      const next = new Set(prev);
      if (!next.delete(kind)) next.add(kind);
      return next;
    });

  return (
    <section className="panel log" aria-label="Event log">
      <div className="panel-head">
        <h2>Events</h2>
        <span className="muted" data-testid="log-count">
          {rows.length.toLocaleString()}
          {rows.length !== events.length ? ` of ${events.length.toLocaleString()}` : ''}
        </span>
        <div className="chips" role="group" aria-label="Show kinds">
          {kinds.map((k) => (
            <button
              key={k}
              type="button"
              className="chip"
              aria-pressed={!hiddenKinds.has(k)}
              style={{ '--kind': kindColor(k) } as CSSProperties}
              onClick={() => toggleKind(k)}
            >
              {k}
            </button>
          ))}
        </div>
        <label className="check">
          <input type="checkbox" checked={onlySelected} onChange={(e) => setOnlySelected(e.target.checked)} />
          only {selectedConnId === null ? 'selected connection' : `#${selectedConnId}`}
        </label>
      </div>
      <div className="log-body">
        <div className="log-table" role="grid" aria-label="Events, newest first" aria-rowcount={rows.length + 1}>
          <div className="log-row log-header" role="row" aria-rowindex={1}>
            <span className="c-time" role="columnheader">time</span>
            <span className="c-conn" role="columnheader">conn</span>
            <span className="c-kind" role="columnheader">kind</span>
            <span className="c-len" role="columnheader" title="bytes the call returned / bytes it asked for">
              length
            </span>
            <span className="c-hex" role="columnheader">hex</span>
            <span className="c-ascii" role="columnheader">ascii</span>
          </div>
          <div
            className="log-scroll"
            ref={scroller}
            data-testid="event-log"
            role={rows.length > 0 ? 'rowgroup' : undefined}
            onKeyDown={(ev) => {
              // ↑/↓ move between rows, Home/End to the newest and the oldest; Enter or Space opens the row's
              // detail (handled on the row). Taken here, these keys do not move a replay's scrubber.
              const step = ev.key === 'ArrowDown' ? 1 : ev.key === 'ArrowUp' ? -1 : ev.key === 'Home' ? -Infinity : ev.key === 'End' ? Infinity : 0;
              const from = (ev.target as HTMLElement).closest<HTMLElement>('[data-testid=event-row]');
              if (step === 0 || from === null) return;
              ev.preventDefault();
              const index = Number.isFinite(step) ? Number(from.dataset.index) + step : step < 0 ? 0 : rows.length - 1;
              if (index < 0 || index >= rows.length) return;
              focusAfterScroll.current = index;
              virtualizer.scrollToIndex(index, { align: 'auto' });
              focusPending();
            }}
          >
            {rows.length === 0 && <p className="empty">No events{events.length > 0 ? ' match the filter' : ' yet'}.</p>}
            <div role="presentation" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((item) => {
                const e = rows[item.index]!;
                return (
                  <LogRow
                    key={item.key}
                    index={item.index}
                    tabStop={picked === null ? item.index === 0 : picked.seq === e.seq}
                    e={e}
                    top={item.start}
                    picked={picked?.seq === e.seq}
                    history={configHistory}
                    onPick={() => setPicked(picked?.seq === e.seq ? null : e)}
                  />
                );
              })}
            </div>
          </div>
        </div>
        {picked && <EventDetail event={picked} requested={requestedBy(picked, configHistory)} onClose={() => setPicked(null)} />}
      </div>
    </section>
  );
}

function LogRow(props: {
  e: TcpEvent;
  index: number;
  tabStop: boolean;
  top: number;
  picked: boolean;
  history: readonly ConfigSince[];
  onPick(): void;
}) {
  const { e, index, tabStop, top, picked, history, onPick } = props;
  const chunk = bytesCarried(e);
  // Reads (and a watched server's writes) say what the call asked for beside what it got.
  const requested = chunk ? requestedBy(e, history) : null;
  return (
    <div
      className={`log-row${picked ? ' picked' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={picked}
      tabIndex={tabStop ? 0 : -1}
      data-index={index}
      data-testid="event-row"
      data-kind={e.kind}
      data-length={chunk?.length ?? ''}
      data-requested={requested ?? ''}
      data-conn-id={e.connId}
      style={{ transform: `translateY(${top}px)` }}
      onClick={onPick}
      onKeyDown={(ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          onPick();
        }
      }}
    >
      <span className="c-time" role="gridcell">
        {clockTime(e.t)}
      </span>
      <span className="c-conn" role="gridcell">
        {e.connId === 0 ? '—' : `#${e.connId}`}
      </span>
      <span className="c-kind" role="gridcell">
        <span className="kind" style={{ color: kindColor(e.kind) }}>
          {e.kind}
        </span>
      </span>
      <span className="c-len" role="gridcell" title={chunk && requested !== null ? requestedText(e.kind as 'read', chunk.length, requested) : undefined}>
        {chunk ? chunk.length : ''}
        {requested !== null && <span className="req">/{requested}</span>}
      </span>
      {chunk ? (
        <>
          {e.kind === 'message' ? (
            // A message repeats bytes the reads above already show in hex; which reads carried it says more.
            <span className="c-hex c-note" role="gridcell">
              {describeEvent(e)}
            </span>
          ) : (
            <span className="c-hex" role="gridcell">
              {chunk.hex}
              {chunk.truncated ? ' …' : ''}
            </span>
          )}
          <span className="c-ascii" role="gridcell">
            {eventAscii(chunk)}
            {chunk.truncated ? ' …' : ''}
          </span>
        </>
      ) : (
        <span className="c-desc" role="gridcell">
          {e.kind === 'config' ? describeConfigChange(configAt(history, e.seq - 0.25), e.config) : describeEvent(e)}
        </span>
      )}
    </div>
  );
}
