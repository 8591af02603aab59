// The sequence ladder: the client on the left, the server on the right, one arrow per captured segment
// and, on the same rows, the client's writes and the server's reads and replies. "3 writes → 1 segment
// → 3 reads" is three blue marks, one arrow and three orange marks, top to bottom.
import { useLayoutEffect, useRef, type KeyboardEvent, type ReactElement } from 'react';
import type { Connection } from '../../shared/connections.ts';
import type { SegmentEvent } from '../../shared/wire.ts';
import { eventAscii } from '../format/event-bytes.ts';
import { closeReasonText } from '../format/describe-event.ts';
import { useElementWidth } from '../views/use-element-width.ts';
import { ladderLayout, type LadderItem } from './ladder-layout.ts';
import { arrowKind, durationText, flagsText, segmentLabel } from './packet-text.ts';
import { payloadSpans } from './payload-map.ts';
import type { StreamHealth } from './stream-health.ts';
import type { ConnWire } from './wire-data.ts';

const ROW_H = 24;
const PAD_Y = 10;
const TIME_W = 66;
/** Width of one character of the 11 px monospace labels. */
const CHAR_W = 6.7;
/** Rows drawn at most: the start of the connection and its newest rows. */
export const LADDER_MAX_ROWS = 600;

export const ARROW_COLORS = {
  syn: '#3fcf8e',
  fin: '#39c5cf',
  rst: '#f47067',
  dataC2s: '#4ea1ff',
  dataS2c: '#b392f0',
  ack: '#7d8896',
} as const;

interface Props {
  wire: ConnWire;
  conn: Connection | null;
  health: StreamHealth;
  selectedSeq: number | null;
  onSelect(seq: number): void;
  /** Said instead of "nothing yet" when the connection's events left the store (wire-gone.ts). */
  gone?: string | null;
}

export function SequenceLadder({ wire, conn, health, selectedSeq, onSelect, gone }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const width = useElementWidth(scrollRef);
  const layout = ladderLayout(wire, health.notes, LADDER_MAX_ROWS);
  const rows = layout.items.length + (layout.elided ? 1 : 0);
  const W = Math.max(width, 560);
  const side = Math.round(Math.min(210, Math.max(130, (W - TIME_W) * 0.25)));
  const clientX = TIME_W + side;
  const serverX = W - side - 6;
  const height = PAD_Y * 2 + rows * ROW_H;

  // Follow new rows while the user sits at the bottom; leave the scroll alone otherwise.
  const atBottom = useRef(false);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el !== null && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [rows]);

  const geometry = { clientX, serverX, side };
  const linked = linkedChunks(wire, selectedSeq);
  let row = 0;
  const drawn: ReactElement[] = [];
  layout.items.forEach((item, i) => {
    if (layout.elided && i === layout.elided.at) {
      drawn.push(
        <text key="elided" className="ladder-elided" x={(clientX + serverX) / 2} y={yOf(row) + 4} textAnchor="middle">
          … {layout.elided.count.toLocaleString()} rows not drawn …
        </text>,
      );
      row++;
    }
    const key = keyOf(item);
    drawn.push(
      <Row key={key} item={item} y={yOf(row)} t0={layout.t0} g={geometry} selectedSeq={selectedSeq} firstSeq={wire.segments[0]?.seq ?? null} linked={linked.has(key)} onSelect={onSelect} />,
    );
    row++;
  });

  return (
    <div className="ladder">
      <div className="ladder-lanes" style={{ width: W }}>
        <span className="lane-title lane-client" style={{ left: clientX }}>
          client{conn ? ` ${conn.remoteAddress}:${conn.remotePort}` : ''}
        </span>
        <span className="lane-title lane-server" style={{ left: serverX }}>
          server{conn ? ` ${conn.localAddress}:${conn.localPort}` : ''}
        </span>
      </div>
      <div
        className="ladder-scroll"
        ref={scrollRef}
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 4;
        }}
      >
        {gone && (
          <p className={layout.items.length === 0 ? 'empty wire-gone' : 'wire-gone note'} data-testid="wire-gone" data-conn-id={conn?.id ?? ''}>
            {gone}
          </p>
        )}
        {layout.items.length === 0 ? (
          !gone && <p className="empty">{conn ? 'Nothing on the wire of this connection yet.' : 'Send a burst: its segments appear here.'}</p>
        ) : (
          <svg
            width={W}
            height={height}
            className="ladder-svg"
            data-testid="wire-ladder"
            data-conn-id={conn?.id ?? ''}
            data-segments={wire.segments.length}
            data-reads={wire.reads.length}
            data-bytes-read={wire.reads.reduce((n, r) => n + r.length, 0)}
            role="group"
            aria-label="Segments, writes and reads in time order; ↑ and ↓ step between segments"
            onKeyDown={(e) => {
              // ↑/↓ (and k/j) step from segment to segment, as in a packet list.
              const step = e.key === 'ArrowDown' || e.key === 'j' ? 1 : e.key === 'ArrowUp' || e.key === 'k' ? -1 : 0;
              if (step === 0 || wire.segments.length === 0) return;
              e.preventDefault();
              const at = wire.segments.findIndex((s) => s.seq === selectedSeq);
              const next = wire.segments[Math.max(0, Math.min(wire.segments.length - 1, at < 0 ? 0 : at + step))]!;
              onSelect(next.seq);
              const el = e.currentTarget.querySelector<SVGGElement>(`[data-testid=ladder-segment][data-seq="${next.seq}"]`);
              el?.focus();
            }}
          >
            <line className="lane" x1={clientX} x2={clientX} y1={0} y2={height} />
            <line className="lane" x1={serverX} x2={serverX} y1={0} y2={height} />
            {drawn}
          </svg>
        )}
      </div>
    </div>
  );
}

/** The writes, reads or replies whose bytes the selected segment carried: drawn linked to it. */
function linkedChunks(wire: ConnWire, selectedSeq: number | null): Set<string> {
  const keys = new Set<string>();
  const seg = selectedSeq === null ? undefined : wire.segments.find((s) => s.seq === selectedSeq);
  if (seg === undefined || seg.payloadLength === 0) return keys;
  const c2s = seg.direction === 'c2s';
  for (const sp of payloadSpans(seg, c2s ? wire.reads : wire.replies)) keys.add(`${c2s ? 'read' : 'reply'}${sp.chunk.seq}`);
  if (c2s) for (const sp of payloadSpans(seg, wire.writes)) keys.add(`write${sp.chunk.seq}`);
  return keys;
}

function yOf(row: number): number {
  return PAD_Y + row * ROW_H + ROW_H / 2;
}

function keyOf(item: LadderItem): string {
  if (item.kind === 'segment') return `s${item.segment.seq}`;
  if (item.kind === 'close') return 'close';
  return `${item.kind}${item.chunk.seq}`;
}

interface Geometry {
  clientX: number;
  serverX: number;
  side: number;
}

interface RowProps {
  item: LadderItem;
  y: number;
  t0: number;
  g: Geometry;
  selectedSeq: number | null;
  /** The first segment: the ladder's one tab stop while none is selected. */
  firstSeq: number | null;
  /** Its bytes travelled in the selected segment. */
  linked: boolean;
  onSelect(seq: number): void;
}

function Row({ item, y, t0, g, selectedSeq, firstSeq, linked, onSelect }: RowProps) {
  const time = (
    <text className="ladder-time" x={TIME_W - 8} y={y + 4} textAnchor="end">
      {item.t === t0 ? '0' : `+${durationText(item.t - t0)}`}
    </text>
  );
  if (item.kind === 'segment') {
    return (
      <g>
        {time}
        <SegmentArrow
          seg={item.segment}
          notes={item.notes}
          y={y}
          g={g}
          selected={item.segment.seq === selectedSeq}
          first={item.segment.seq === firstSeq}
          onSelect={onSelect}
        />
      </g>
    );
  }
  const maxChars = Math.floor((g.side - 22) / CHAR_W);
  if (item.kind === 'close') {
    const bad = item.event.reason === 'reset' || item.event.reason === 'error';
    const full = `close · ${closeReasonText(item.event.reason)}${item.event.code ? ` ${item.event.code}` : ''}`;
    // The short form fits the lane ("close · end"); the whole reason is the mark's title.
    const text = full.length <= maxChars ? full : `close · ${item.event.reason}`;
    return (
      <>
        {time}
        <g className={`ladder-mark mark-close ${bad ? 'bad' : ''}`} data-testid="ladder-close" data-reason={item.event.reason}>
          <title>{full}</title>
          <circle cx={g.serverX} cy={y} r={4} />
          <text x={g.serverX + 12} y={y + 4}>
            {clip(text, maxChars)}
          </text>
        </g>
      </>
    );
  }
  const { chunk } = item;
  const atClient = item.kind === 'write';
  const prefix = item.kind === 'write' ? `w${item.index + 1}` : item.kind === 'read' ? `r${item.index + 1}` : 'reply';
  const text = clip(`${prefix} · ${chunk.length} B  ${eventAscii(chunk)}`, maxChars);
  const boxW = Math.min(g.side - 14, text.length * CHAR_W + 12);
  const x = atClient ? g.clientX - 10 - boxW : g.serverX + 10;
  return (
    <>
      {time}
      <g
        className={`ladder-mark mark-${item.kind} ${linked ? 'linked' : ''}`}
        data-testid={`ladder-${item.kind}`}
        data-length={chunk.length}
        data-offset={chunk.offset}
      >
        <title>{`${item.kind} of ${chunk.length} B at stream offset ${chunk.offset}`}</title>
        <line className="mark-tie" x1={atClient ? x + boxW : x} x2={atClient ? g.clientX : g.serverX} y1={y} y2={y} />
        <circle cx={atClient ? g.clientX : g.serverX} cy={y} r={3.5} />
        <rect x={x} y={y - 9} width={boxW} height={18} rx={3} />
        <text x={x + 6} y={y + 4}>
          {text}
        </text>
      </g>
    </>
  );
}

function SegmentArrow({
  seg,
  notes,
  y,
  g,
  selected,
  first,
  onSelect,
}: {
  seg: SegmentEvent;
  notes: StreamHealth['notes'][number] | undefined;
  y: number;
  g: Geometry;
  selected: boolean;
  first: boolean;
  onSelect(seq: number): void;
}) {
  const kind = arrowKind(seg);
  const color = kind === 'data' ? (seg.direction === 'c2s' ? ARROW_COLORS.dataC2s : ARROW_COLORS.dataS2c) : ARROW_COLORS[kind];
  const c2s = seg.direction === 'c2s';
  const from = c2s ? g.clientX : g.serverX;
  const to = c2s ? g.serverX : g.clientX;
  const lineY = y + 6;
  const dir = c2s ? 1 : -1;
  const tags = [notes?.retransmission && 'retransmission', notes?.zeroWindow && 'zero window', notes?.windowUpdate && 'window update'].filter(Boolean);
  const maxChars = Math.floor((g.serverX - g.clientX - 16) / CHAR_W);
  const full = `${segmentLabel(seg)}${tags.length > 0 ? ` · ${tags.join(', ')}` : ''}`;
  const label = full.length <= maxChars ? full : clip(`[${flagsText(seg.flags)}] Seq=${seg.relativeSeq} Len=${seg.payloadLength}`, maxChars);
  const activate = () => onSelect(seg.seq);
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      activate();
    }
  };
  return (
    <g
      className={`ladder-seg seg-${kind} ${selected ? 'picked' : ''} ${notes?.retransmission ? 'retrans' : ''}`}
      data-testid="ladder-segment"
      data-dir={seg.direction}
      data-flags={flagsText(seg.flags)}
      data-len={seg.payloadLength}
      data-seq={seg.seq}
      role="button"
      tabIndex={selected || first ? 0 : -1}
      aria-pressed={selected}
      aria-label={`${seg.direction === 'c2s' ? 'client to server' : 'server to client'} ${label}`}
      onClick={activate}
      onKeyDown={onKey}
      style={{ color }}
    >
      <rect className="seg-hit" x={g.clientX} y={y - ROW_H / 2} width={g.serverX - g.clientX} height={ROW_H} />
      <line x1={from} x2={to - dir * 7} y1={lineY} y2={lineY} stroke="currentColor" />
      <polygon points={`${to},${lineY} ${to - dir * 8},${lineY - 4} ${to - dir * 8},${lineY + 4}`} fill="currentColor" />
      <text x={(g.clientX + g.serverX) / 2} y={y + 1} textAnchor="middle" fill="currentColor">
        {label}
      </text>
    </g>
  );
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(1, max - 1))}…`;
}
