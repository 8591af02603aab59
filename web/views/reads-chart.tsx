// Writes against reads for the selected connection: one bar per call, in the order they happened,
// with the read buffer as a ceiling and running totals on the right axis. Three blue bars of 7 and
// one orange bar of 21 is the whole story of a merged burst.
import { useMemo } from 'react';
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { Connection } from '../../shared/connections.ts';
import { clockTime, formatBytes } from '../format/describe-event.ts';
import { useStoreView } from '../stream/event-store.ts';
import { configAt } from '../stream/event-state.ts';
import { chartSeries, type ChartPoint } from './chart-data.ts';
import { COLORS } from './palette.ts';
import { useThrottled } from './use-throttled.ts';
import { requestedText } from '../format/read-request.ts';

/** Beyond this multiple of the largest call the buffer line would flatten every bar: say it in words instead. */
const BUFFER_LINE_MAX_RATIO = 4;
const BARS_MAX_POINTS = 160;
/** A line chart a few hundred pixels wide shows nothing more with more points; each costs redraw time. */
const LINE_MAX_POINTS = 200;
/** Past this many points the x ticks are spaced by count: recharts would otherwise measure every label in the DOM. */
const MEASURED_TICKS_MAX_POINTS = 40;
const X_TICKS = 10;
/**
 * A redraw of the lines costs recharts 3 one synchronous pass of 40–100 ms of CPU (its own store's
 * dispatches and selectors; it cannot be sliced like the rest of the page): a fast-growing stream is
 * redrawn this often at most, and the counters above it stay live in between.
 */
const LINES_REDRAW_MS = 1000;

export function ReadsChart({ conn }: { conn: Connection | null }) {
  const { streams, config, configHistory } = useStoreView();
  const latest = conn ? streams.get(conn.id) : undefined;
  const manyCalls = (latest?.writes.length ?? 0) + (latest?.reads.length ?? 0) > BARS_MAX_POINTS;
  const stream = useThrottled(latest, manyCalls ? LINES_REDRAW_MS : 0, conn?.id);
  // The exact counters the totals must end on: the stream's own, filed with the events it holds. The
  // connection's may be newer than a throttled stream, and their extra calls would be drawn first.
  const connCounters = useMemo(
    () => (conn ? { writes: conn.writes, bytesWritten: conn.bytesWritten, reads: conn.reads, bytesRead: conn.bytesRead } : undefined),
    [conn?.id, conn?.writes, conn?.bytesWritten, conn?.reads, conn?.bytesRead],
  );
  const counters = stream ? (stream.counters ?? undefined) : connCounters;
  const series = useMemo(
    () => chartSeries(stream?.writes ?? [], stream?.reads ?? [], LINE_MAX_POINTS, stream?.summaries ?? [], counters),
    [stream, counters],
  );
  const hasSummaries = series.summarisedCalls > 0;
  const heldCalls = series.events;
  // The buffer that cut this connection's reads, which is not the current one after a change. A watched
  // server's read says what it asked for itself; the echo server's read buffer is not its.
  const lastRead = stream?.reads.at(-1);
  const watched = conn?.origin === 'watched';
  const asked = lastRead?.kind === 'read' ? lastRead.requested : undefined;
  const buffer = asked ?? (watched ? undefined : lastRead ? configAt(configHistory, lastRead.seq)?.bufferSize : config?.bufferSize);
  const showBufferLine = buffer !== undefined && series.maxSize > 0 && buffer <= series.maxSize * BUFFER_LINE_MAX_RATIO;
  const hasWrites = (conn?.writes ?? 0) > 0 || (stream?.writes.length ?? 0) > 0;
  // One bar per call while bars stay wider than a few pixels; past that, bars of alternating colour
  // blur into one, and a line per side reads better. Bars also stack a write and a read that share
  // a point, which only one-call points guarantee not to happen.
  const asBars = series.points.length <= BARS_MAX_POINTS && series.perPoint === 1;
  // The page holds the latest events only; the server's counters say how many calls there were.
  const callsMade = conn ? conn.writes + conn.reads : 0;
  const lastPoint = series.points.at(-1);
  // Every call of the connection is a summary: its events left the store (or never came in detail).
  const onlySummaries = series.points.length > 0 && heldCalls === 0;
  const maxRead = useMemo(() => stream?.reads.reduce((m, e) => Math.max(m, e.length), 0) ?? 0, [stream]);

  // Every prop but the data keeps its identity from one redraw to the next: recharts 3 keeps its settings
  // in a store of its own and dispatches each changed one (then re-runs its selectors) on every render.
  const sizeDomain = useMemo(() => [0, (max: number) => headroom(Math.max(max, showBufferLine ? buffer : 0))] as const, [showBufferLine, buffer]);
  const bufferLabel = useMemo(
    () => ({ value: `${watched ? 'requested' : 'read buffer'} ${buffer} B`, position: 'insideBottomLeft', fill: COLORS.buffer, fontSize: 11 }) as const,
    [watched, buffer],
  );

  // Built again only when what it draws changes: recharts does real work on every render it gets,
  // and the store publishes a new view every frame while anything at all is happening.
  const plot = useMemo(
    () => (
      <ComposedChart
        responsive
        style={CHART_STYLE}
        data={series.points}
        margin={CHART_MARGIN}
        barCategoryGap={series.points.length > 60 ? 1 : '20%'}
      >
        <CartesianGrid stroke={COLORS.grid} vertical={false} verticalCoordinatesGenerator={noVerticalLines} />
        {asBars ? (
          <XAxis dataKey="x" stroke={COLORS.axis} tick={TICK} tickLine={false} minTickGap={24} interval={xTickInterval(series.points.length)} />
        ) : (
          // Lines: the call number as a number axis, which recharts does not walk category by category.
          <XAxis dataKey="x" type="number" domain={X_DOMAIN} allowDecimals={false} stroke={COLORS.axis} tick={TICK} tickLine={false} minTickGap={24} tickFormatter={axisNumber} />
        )}
        <YAxis
          yAxisId="size"
          stroke={COLORS.axis}
          tick={TICK}
          tickLine={false}
          allowDecimals={false}
          tickFormatter={axisNumber}
          width={56}
          domain={sizeDomain}
          label={SIZE_LABEL}
        />
        <YAxis
          yAxisId="total"
          orientation="right"
          stroke={COLORS.axis}
          tick={TICK}
          tickLine={false}
          allowDecimals={false}
          tickFormatter={axisNumber}
          width={52}
          label={TOTAL_LABEL}
        />
        <Tooltip content={tooltipContent} cursor={TOOLTIP_CURSOR} isAnimationActive={false} />
        <Legend verticalAlign="top" height={22} iconSize={10} wrapperStyle={LEGEND_STYLE} itemSorter={legendOrder} />
        {asBars
          ? [
              hasWrites && (
                <Bar key="wb" yAxisId="size" dataKey="write" name="write size" stackId="call" fill={COLORS.write} isAnimationActive={false} maxBarSize={48} />
              ),
              <Bar key="rb" yAxisId="size" dataKey="read" name="read size" stackId="call" fill={COLORS.read} isAnimationActive={false} maxBarSize={48} />,
            ]
          : [
              hasWrites && (
                <Line key="wl" yAxisId="size" type="stepAfter" dataKey="write" name="write size" stroke={COLORS.write} dot={false} connectNulls isAnimationActive={false} />
              ),
              <Line key="rl" yAxisId="size" type="stepAfter" dataKey="read" name="read size" stroke={COLORS.read} dot={false} connectNulls isAnimationActive={false} />,
            ]}
        {/* Calls the live stream counted but did not send: one bar per bin at their mean size (a dashed line
            once the chart draws lines), hatched
            by opacity and outline, so that they read as totals and never as a hole. */}
        {hasSummaries && hasWrites && (asBars ? (
          <Bar yAxisId="size" dataKey="sumWrite" name="writes, summarised (mean)" stackId="sum" fill={COLORS.write} fillOpacity={0.3} stroke={COLORS.write} strokeDasharray="3 2" isAnimationActive={false} maxBarSize={48} />
        ) : (
          <Line yAxisId="size" type="stepAfter" dataKey="sumWrite" name="writes, summarised (mean)" stroke={COLORS.write} strokeOpacity={0.6} strokeDasharray="3 2" dot={false} isAnimationActive={false} />
        ))}
        {hasSummaries && (asBars ? (
          <Bar yAxisId="size" dataKey="sumRead" name="reads, summarised (mean)" stackId="sum" fill={COLORS.read} fillOpacity={0.3} stroke={COLORS.read} strokeDasharray="3 2" isAnimationActive={false} maxBarSize={48} />
        ) : (
          <Line yAxisId="size" type="stepAfter" dataKey="sumRead" name="reads, summarised (mean)" stroke={COLORS.read} strokeOpacity={0.6} strokeDasharray="3 2" dot={false} isAnimationActive={false} />
        ))}
        {hasWrites && (
          <Line
            yAxisId="total"
            type="linear"
            dataKey="written"
            name="total written"
            stroke={COLORS.writeLine}
            strokeWidth={1.5}
            dot={series.points.length <= 60 ? WRITE_DOT : false}
            isAnimationActive={false}
          />
        )}
        <Line
          yAxisId="total"
          type="linear"
          dataKey="readTotal"
          name="total read"
          stroke={COLORS.readLine}
          strokeWidth={1.5}
          dot={series.points.length <= 60 ? READ_DOT : false}
          isAnimationActive={false}
        />
        {showBufferLine && (
          <ReferenceLine
            yAxisId="size"
            y={buffer}
            stroke={COLORS.buffer}
            strokeDasharray="6 3"
            ifOverflow="extendDomain"
            label={bufferLabel}
          />
        )}
      </ComposedChart>
    ),
    [series, asBars, hasWrites, hasSummaries, showBufferLine, buffer, sizeDomain, bufferLabel],
  );

  return (
    <section className="panel chart" aria-label="Writes and reads">
      <div className="panel-head">
        <h2>Writes vs reads</h2>
        {conn && <span className="muted">#{conn.id}</span>}
        <span className="grow" />
        {conn && (
          <span className="totals">
            {conn.origin === 'builtin' && (
              <span style={{ color: COLORS.write }}>
                {plural(conn.writes, 'write')} · {formatBytes(conn.bytesWritten)}
              </span>
            )}
            <span style={{ color: COLORS.read }}>
              {plural(conn.reads, 'read')} · {formatBytes(conn.bytesRead)}
            </span>
            {buffer !== undefined && (
              <span style={{ color: COLORS.buffer }} data-testid="chart-requested">
                {watched && lastRead
                  ? requestedText('read', lastRead.length, buffer).replace(/^read/, 'last read')
                  : `${lastRead ? 'read with buffer' : 'buffer'} ${buffer} B`}
                {!showBufferLine && series.maxSize > 0 ? ' (above the chart)' : ''}
              </span>
            )}
          </span>
        )}
      </div>
      <div
        className="chart-box"
        data-testid="reads-chart"
        data-conn-id={conn?.id ?? ''}
        data-points={series.points.length}
        data-reads={stream?.reads.length ?? 0}
        data-max-read={maxRead}
        data-summarised={series.summarisedCalls}
        data-written={lastPoint?.written ?? 0}
        data-read-total={lastPoint?.readTotal ?? 0}
        data-read-ahead={series.points.reduce((m, p) => Math.max(m, p.readTotal - p.written), 0)}
      >
        {/* The chart stays mounted even while empty: mounting recharts costs a long task, better paid at
            page load than at the moment the first burst arrives. */}
        {plot}
        {series.points.length === 0 && (
          <p className="empty chart-empty">
            {conn ? 'No writes or reads on this connection yet.' : 'Send a burst: its writes and the server’s reads appear here.'}
          </p>
        )}
      </div>
      {onlySummaries && conn && (
        <p className="chart-note" data-testid="chart-evicted">
          The events of #{conn.id} have left the event store (it keeps the latest 20,000); the counters are exact:{' '}
          {conn.origin === 'builtin' && <>{plural(conn.writes, 'write')} ({formatBytes(conn.bytesWritten)}), </>}
          {plural(conn.reads, 'read')} ({formatBytes(conn.bytesRead)}).
        </p>
      )}
      {(series.perPoint > 1 || hasSummaries) && (
        <div className="foot muted" data-testid="chart-foot">
          {`${callsMade.toLocaleString()} calls: ${heldCalls.toLocaleString()} in detail`}
          {series.perPoint > 1
            ? `, drawn as ${series.points.length.toLocaleString()} points (each the largest of ${series.perPoint} consecutive calls)`
            : ''}
          {hasSummaries
            ? `, ${series.summarisedCalls.toLocaleString()} summarised by the live stream or gone from the store, drawn as ${asBars ? 'hatched bins' : 'dashed lines'} at their mean size with exact counts and bytes.`
            : '.'}{' '}
          Hover for exact counts and sums.
        </div>
      )}
    </section>
  );
}

const CHART_STYLE = { width: '100%', height: '100%' };
const CHART_MARGIN = { top: 8, right: 4, bottom: 0, left: -8 };
const TICK = { fontSize: 11 };
const X_DOMAIN = ['dataMin', 'dataMax'] as const;
const SIZE_LABEL = { value: 'bytes per call', angle: -90, position: 'insideLeft', offset: 16, fill: COLORS.axis, fontSize: 11 } as const;
const TOTAL_LABEL = { value: 'total bytes', angle: 90, position: 'insideRight', offset: 10, fill: COLORS.axis, fontSize: 11 } as const;
const TOOLTIP_CURSOR = { fill: 'rgba(255,255,255,0.05)' };
const LEGEND_STYLE = { fontSize: 11 };
const WRITE_DOT = { r: 2, strokeWidth: 0, fill: COLORS.writeLine };
const READ_DOT = { r: 2, strokeWidth: 0, fill: COLORS.readLine };

function tooltipContent(props: { active?: boolean; payload?: readonly { payload?: unknown }[] }) {
  return <ChartTooltip active={props.active ?? false} payload={props.payload} />;
}

/** Without it the grid works out where vertical lines would go (measuring every x label) only to draw none. */
function noVerticalLines(): number[] {
  return [];
}

/** Axis ticks stay short enough for the axis: 1229 → "1.2k", 12000000 → "12M". */
function axisNumber(n: number): string {
  const abs = Math.abs(n);
  if (abs < 1000) return String(n);
  const [unit, div] = abs < 1e6 ? ['k', 1e3] : abs < 1e9 ? ['M', 1e6] : ['G', 1e9];
  return `${Number((n / div).toFixed(1))}${unit}`;
}

function xTickInterval(points: number): number | 'preserveEnd' {
  return points <= MEASURED_TICKS_MAX_POINTS ? 'preserveEnd' : Math.ceil(points / X_TICKS) - 1;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;
}

const LEGEND_ORDER = ['write size', 'read size', 'writes, summarised (mean)', 'reads, summarised (mean)', 'total written', 'total read'];
function legendOrder(item: { value?: unknown }): number {
  return LEGEND_ORDER.indexOf(String(item.value));
}

/** A little room above the tallest bar or the buffer line, so the line's label never sits on a bar. */
function headroom(max: number): number {
  return Math.max(1, Math.ceil(max * 1.2));
}

function ChartTooltip({ active, payload }: { active: boolean; payload: readonly { payload?: unknown }[] | undefined }) {
  const p = payload?.[0]?.payload as ChartPoint | undefined;
  if (!active || p === undefined) return null;
  const many = p.xEnd > p.x;
  if (p.summarised) {
    return (
      <div className="chart-tip">
        <div className="tip-title">
          {many ? `calls ${p.x}–${p.xEnd}` : `call ${p.x}`} · {p.write !== null || p.read !== null ? 'partly summarised' : 'summarised'}
        </div>
        <div className="muted">counted exactly, not sent in detail (or gone from the store)</div>
        {p.writes > 0 && (
          <div style={{ color: COLORS.write }}>
            {plural(p.writes, 'write')}, {formatBytes(p.writeBytes)} (mean {p.sumWrite} B)
          </div>
        )}
        {p.reads > 0 && (
          <div style={{ color: COLORS.read }}>
            {plural(p.reads, 'read')}, {formatBytes(p.readBytes)} (mean {p.sumRead} B)
          </div>
        )}
        <div className="muted">
          so far: written {formatBytes(p.written)} · read {formatBytes(p.readTotal)}
        </div>
      </div>
    );
  }
  return (
    <div className="chart-tip">
      <div className="tip-title">
        {many ? `calls ${p.x}–${p.xEnd}` : `call ${p.x}`} · {p.t === null ? '' : clockTime(p.t)}
      </div>
      {p.writes > 0 && (
        <div style={{ color: COLORS.write }}>
          {many ? `${p.writes} writes, ${formatBytes(p.writeBytes)} (largest ${p.write} B)` : `write ${p.write} B`}
        </div>
      )}
      {p.reads > 0 && (
        <div style={{ color: COLORS.read }}>
          {many ? `${p.reads} reads, ${formatBytes(p.readBytes)} (largest ${p.read} B)` : `read ${p.read} B`}
        </div>
      )}
      <div className="muted">
        so far: written {formatBytes(p.written)} · read {formatBytes(p.readTotal)}
      </div>
    </div>
  );
}
