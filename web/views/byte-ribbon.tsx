// The client → server byte stream of the selected connection as one strip. Above it, the writes that
// put the bytes in; below it, the reads that took them out. Where the cuts disagree, TCP merged or
// split them: it is a stream, and only the reader's buffer decides the pieces.
import { useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Connection } from '../../shared/connections.ts';
import { toAsciiEscaped, toHex } from '../../shared/hex.ts';
import { formatBytes } from '../format/describe-event.ts';
import { eventBytes } from '../format/event-bytes.ts';
import { useStoreView } from '../stream/event-store.ts';
import {
  buildRibbon,
  byteAt,
  layoutGaps,
  layoutSpans,
  mappingSummary,
  overlapping,
  type DrawnGap,
  type Ribbon,
  type RibbonItem,
  type Span,
} from './ribbon-layout.ts';
import { useElementWidth } from './use-element-width.ts';
import { MessageCaption, MessageRow, useMessageLinks, withCarriedReads } from '../framing/message-row.tsx';
import { requestedBy } from '../format/read-request.ts';

type Side = 'write' | 'read';
type Zoom = 'fit' | 'bytes';

/** Pixels per byte when zoomed in to read the bytes themselves. */
const BYTES_PPB = 22;
const MAX_FIT_PPB = 40;
/** Below this the byte row shows no characters, only the strip. */
const MIN_CHAR_PPB = 9;
const TIP_BYTES = 48;

interface Hover {
  side: Side;
  span: Span;
  /** Where the tip goes, in viewport pixels: it floats over the panels below, which would clip it. */
  left: number;
  top: number;
}

const TIP_WIDTH = 460;

function hoverAt(side: Side, span: Span, el: HTMLElement): Hover {
  const seg = el.getBoundingClientRect();
  const body = el.closest('.ribbon-body')?.getBoundingClientRect() ?? seg;
  const left = Math.max(8, Math.min(seg.left + seg.width / 2 - TIP_WIDTH / 2, window.innerWidth - TIP_WIDTH - 8));
  return { side, span, left, top: body.bottom + 2 };
}

export function ByteRibbon({ conn, label = 'Byte stream', extra }: { conn: Connection | null; label?: string; extra?: ReactNode }) {
  const { streams, configHistory } = useStoreView();
  const stream = conn ? streams.get(conn.id) : undefined;
  const written = conn?.bytesWritten ?? 0;
  const read = conn?.bytesRead ?? 0;
  // Reaches to the exact counters: bytes the page holds no event for are drawn as gaps, never left out.
  const ribbon = useMemo(
    () => buildRibbon(stream?.writes ?? [], stream?.reads ?? [], { written, read }),
    [stream, written, read],
  );
  const counts = conn ? { writes: conn.writes, reads: conn.reads, external: conn.origin === 'external' } : undefined;
  const heldAll = conn === null || (ribbon.writes.length >= conn.writes && ribbon.reads.length >= conn.reads);
  // Framing: the messages row under the reads; a selected message lights up the reads that carried it.
  const messageLinks = useMessageLinks(conn);
  const [zoom, setZoom] = useState<Zoom>('fit');
  const [hover, setHover] = useState<Hover | null>(null);
  const [scrollLeft, setScrollLeft] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  const width = useElementWidth(scroller);

  const total = ribbon.end - ribbon.start;
  const ppb = total === 0 || width === 0 ? BYTES_PPB : zoom === 'bytes' ? BYTES_PPB : Math.min(MAX_FIT_PPB, width / total);
  const innerWidth = Math.max(width, total * ppb);
  const from = scrollLeft - 50;
  const to = scrollLeft + width + 50;

  // Zoomed in, stay at the newest bytes unless the user scrolled back to look at older ones.
  const atEnd = useRef(true);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && zoom === 'bytes' && atEnd.current) el.scrollLeft = el.scrollWidth;
  }, [innerWidth, zoom]);

  const linked = useMemo(() => {
    if (hover === null) return new Set<Span>();
    const other = hover.side === 'write' ? ribbon.reads : ribbon.writes;
    return new Set(overlapping(other, hover.span.offset, hover.span.length));
  }, [hover, ribbon]);

  const writeItems = layoutSpans(ribbon.writes, ribbon.start, ppb, from, to);
  const readItems = layoutSpans(ribbon.reads, ribbon.start, ppb, from, to);

  return (
    <section className="panel ribbon" aria-label={label} data-testid={label === 'Byte stream' ? 'byte-ribbon' : 'byte-ribbon-compared'}>
      <div className="panel-head">
        <h2>Byte stream</h2>
        <span className="muted">client → server{conn ? ` · #${conn.id}` : ''}</span>
        {total > 0 && (
          <span className="summary" data-testid={label === 'Byte stream' ? 'ribbon-summary' : 'ribbon-summary-compared'}>
            {mappingSummary(ribbon, counts)}
          </span>
        )}
        {total > 0 && !heldAll && (
          <span className="muted small-text" data-testid="ribbon-held" title="Hatched stretches are bytes the live stream counted but did not send in detail, or whose events left the store">
            drawn: {ribbon.writes.length.toLocaleString()} writes, {ribbon.reads.length.toLocaleString()} reads in detail
          </span>
        )}
        {total > 0 && <span className="muted">{formatBytes(total)}</span>}
        <span className="grow" />
        {extra}
        <div className="segmented small" role="group" aria-label={`${label} zoom`}>
          <button type="button" aria-pressed={zoom === 'fit'} onClick={() => setZoom('fit')} title="Whole stream in view">
            Fit
          </button>
          <button type="button" aria-pressed={zoom === 'bytes'} onClick={() => setZoom('bytes')} title="Zoom in until every byte is readable">
            Bytes
          </button>
        </div>
      </div>
      <div className="ribbon-body">
        <div className="ribbon-gutter" aria-hidden="true">
          <span className="lbl-write">writes</span>
          <span>bytes</span>
          <span className="lbl-read">reads</span>
          {messageLinks.messages.length > 0 && <span className="lbl-message">messages</span>}
        </div>
        <div
          className="ribbon-scroll"
          ref={scroller}
          onScroll={(e) => {
            const el = e.currentTarget;
            setScrollLeft(el.scrollLeft);
            atEnd.current = el.scrollLeft + el.clientWidth >= el.scrollWidth - 2;
          }}
          onMouseLeave={() => setHover(null)}
        >
          {total === 0 ? (
            <p className="empty">{conn ? 'No bytes on this connection yet.' : 'The bytes of the selected connection appear here.'}</p>
          ) : (
            <div className="ribbon-inner" style={{ width: innerWidth }}>
              <SpanRow side="write" items={writeItems} gaps={layoutGaps(ribbon.writeGaps, ribbon.start, ppb, from, to)} hover={hover} linked={linked} onHover={setHover} />
              <ByteRow ribbon={ribbon} ppb={ppb} from={from} to={to} writeItems={writeItems} readItems={readItems} />
              <SpanRow
                side="read"
                items={readItems}
                gaps={layoutGaps(ribbon.readGaps, ribbon.start, ppb, from, to)}
                hover={hover}
                linked={withCarriedReads(linked, ribbon.reads, messageLinks)}
                onHover={setHover}
              />
              <MessageRow links={messageLinks} reads={stream?.reads ?? []} start={ribbon.start} ppb={ppb} from={from} to={to} />
            </div>
          )}
        </div>
        {hover && <SpanTip hover={hover} ribbon={ribbon} requested={requestedBy(hover.span.event, configHistory)} />}
      </div>
      <MessageCaption links={messageLinks} reads={stream?.reads ?? []} />
    </section>
  );
}

function SpanRow(props: {
  side: Side;
  items: RibbonItem[];
  gaps: DrawnGap[];
  hover: Hover | null;
  linked: Set<Span>;
  onHover(h: Hover | null): void;
}) {
  const { side, items, gaps, hover, linked, onHover } = props;
  return (
    <div className={`ribbon-row row-${side}`}>
      {gaps.map((g) => (
        <div
          key={`g${g.offset}`}
          className={`seg seg-${side} seg-summarised`}
          data-testid={`ribbon-${side}-summarised`}
          data-length={g.bytes}
          style={{ left: g.x, width: g.w }}
          title={`bytes ${g.offset.toLocaleString()}–${(g.end - 1).toLocaleString()}: ${formatBytes(g.bytes)} of ${side}s${g.count > 1 ? ` in ${g.count.toLocaleString()} stretches` : ''} counted exactly but not held here (summarised under load, or gone from the store)`}
        >
          {g.w >= 90 ? <span>{formatBytes(g.bytes)} summarised</span> : null}
        </div>
      ))}
      {items.map((it) =>
        it.type === 'span' ? (
          <div
            key={it.span.offset}
            data-testid={`ribbon-${side}`}
            data-length={it.span.length}
            className={`seg seg-${side} ${it.span.n % 2 ? 'odd' : 'even'}${hover?.span === it.span ? ' hot' : linked.has(it.span) ? ' linked' : ''}`}
            style={{ left: it.x, width: it.w }}
            onMouseEnter={(e) => onHover(hoverAt(side, it.span, e.currentTarget))}
          >
            {it.w >= 34 ? (
              <span>
                {it.w >= 70 ? `${side === 'write' ? 'w' : 'r'}${it.span.n} · ` : ''}
                {it.span.length} B
              </span>
            ) : null}
          </div>
        ) : (
          <div
            key={`d${it.first.offset}`}
            className={`seg seg-${side} dense`}
            style={{ left: it.x, width: it.w }}
            title={`${it.count} ${side}s, ${formatBytes(it.bytes)}: zoom in to see each`}
          />
        ),
      )}
    </div>
  );
}

/** The bytes themselves, with the write cuts ticked from above and the read cuts from below. */
function ByteRow(props: { ribbon: Ribbon; ppb: number; from: number; to: number; writeItems: RibbonItem[]; readItems: RibbonItem[] }) {
  const { ribbon, ppb, from, to, writeItems, readItems } = props;
  const cells: ReactNode[] = [];
  if (ppb >= MIN_CHAR_PPB) {
    const first = Math.max(ribbon.start, ribbon.start + Math.floor(from / ppb));
    const last = Math.min(ribbon.end, ribbon.start + Math.ceil(to / ppb));
    for (let off = first; off < last; off++) {
      const b = byteAt(ribbon, off);
      const text = b === undefined ? '·' : toAsciiEscaped(Uint8Array.of(b));
      const ctrl = b === undefined || b < 0x20 || b >= 0x7f;
      cells.push(
        <span key={off} className={`cell${ctrl ? ' ctrl' : ''}`} style={{ left: (off - ribbon.start) * ppb, width: ppb }}>
          {text.length > 1 && ppb < 16 ? '·' : text}
        </span>,
      );
    }
  }
  const ticks = (items: RibbonItem[], side: Side) =>
    items.map((it) => it.type === 'span' && <i key={`${side}${it.span.offset}`} className={`tick tick-${side}`} style={{ left: it.x }} />);
  return (
    <div className={`ribbon-row row-bytes${ppb >= MIN_CHAR_PPB ? '' : ' solid'}`}>
      {ppb < MIN_CHAR_PPB && <span className="bytes-hint">zoom to Bytes to read them</span>}
      {cells}
      {ticks(writeItems, 'write')}
      {ticks(readItems, 'read')}
    </div>
  );
}

function SpanTip({ hover, ribbon, requested }: { hover: Hover; ribbon: Ribbon; requested: number | null }) {
  const { side, span } = hover;
  const other = side === 'write' ? ribbon.reads : ribbon.writes;
  const links = overlapping(other, span.offset, span.length);
  const bytes = eventBytes(span.event);
  const shown = Math.min(bytes.length, TIP_BYTES);
  return (
    <div className="ribbon-tip" style={{ left: hover.left, top: hover.top, width: TIP_WIDTH }} role="tooltip" data-testid="ribbon-tip">
      <div className="tip-title">
        <b className={`k-${side}`}>
          {side} {span.n}
        </b>{' '}
        · bytes {span.offset}–{span.offset + span.length - 1} · {span.length} B
        {requested !== null && side === 'read' && <span className="muted"> of {requested} requested</span>}
      </div>
      {links.length > 0 && (
        <div className="muted">
          {side === 'read' ? 'carries ' : 'went into '}
          {side === 'read' ? 'write' : 'read'}
          {links.length > 1 ? `s ${links[0]!.n}–${links.at(-1)!.n}` : ` ${links[0]!.n}`}
        </div>
      )}
      <div className="mono hex">
        {toHex(bytes, 0, shown)}
        {shown < span.length ? ' …' : ''}
      </div>
      <div className="mono ascii">{toAsciiEscaped(bytes.subarray(0, shown))}</div>
      {shown < span.length && <div className="muted">first {shown} of {span.length} bytes</div>}
    </div>
  );
}
