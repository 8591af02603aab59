// Writes against reads for the selected connection: one bar per call, in the order they happened,
// with the read buffer as a ceiling and running totals on the right axis. Three blue bars of 7 and
// one orange bar of 21 is the whole story of a merged burst.
import { useMemo, useRef } from 'react';
import { Bar, CartesianGrid, ComposedChart, Line, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { Connection } from '../../shared/connections.ts';
import { formatBytes } from '../format/describe-event.ts';
import { useStoreView } from '../stream/event-store.ts';
import { configAt } from '../stream/event-state.ts';
import { chartSeries, type ChartPoint } from './chart-data.ts';
import { ChartLegend } from './chart-legend.tsx';
import { ChartLines, LinesContext, plainTick } from './chart-lines.tsx';
import { niceTop } from './chart-paths.ts';
import { useFrozen, useGrowingTop, useSettled, useSubjectAfterPage } from './chart-timing.ts';
import { ChartTooltip, plural } from './chart-tooltip.tsx';
import { COLORS } from './palette.ts';
import { useThrottled } from './use-throttled.ts';
import { requestedText } from '../format/read-request.ts';

/** Beyond this multiple of the largest call the buffer line would flatten every bar: say it in words instead. */
const BUFFER_LINE_MAX_RATIO = 4;
const BARS_MAX_POINTS = 160;
/** Up to this many calls bars are drawn at once; past it, once the connection is quiet for BARS_QUIET_MS. */
const BARS_ALWAYS_MAX = 40;
// Longer than views are ever apart (see VIEW_INTERVAL_MAX_MS), so that pacing never reads as quiet.
const BARS_QUIET_MS = 1500;
/** A line chart a few hundred pixels wide shows nothing more with more points; each costs redraw time. */
const LINE_MAX_POINTS = 200;
const X_TICKS = 10;
/**
 * A fast-growing stream is redrawn this often at most (the counters above it stay live in between):
 * the lines are cheap, but recharts still lays its axes out again for each new domain.
 */
const LINES_REDRAW_MS = 500;
/** A chart unchanged this long has stopped growing: its axes then fit the data tightly. */
const SETTLE_MS = 1000;

export function ReadsChart({ conn: selected }: { conn: Connection | null }) {
  const conn = useSubjectAfterPage(selected);
  const { streams, config, configHistory } = useStoreView();
  const latest = conn ? streams.get(conn.id) : undefined;
  // The page holds the latest events only; the server's counters say how many calls there were.
  const callsMade = conn ? conn.writes + conn.reads : 0;
  // The server's counters are fresher than the events held: a stream that starts fast is throttled (and
  // drawn as lines) from its first view, not after a few hundred bars drawn frame by frame.
  const manyCalls = Math.max((latest?.writes.length ?? 0) + (latest?.reads.length ?? 0), callsMade) > BARS_MAX_POINTS;
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
  // Calls that left the store count too (the first point stands for them all). Past a few dozen calls,
  // bars wait until the connection has been quiet for a moment: a stream that is still growing would
  // otherwise cost a redraw of every bar per view on its way to lines.
  const lastPoint = series.points.at(-1);
  const lastCall = lastPoint?.xEnd ?? 0;
  const quiet = useSettled(conn ? callsMade : lastCall, BARS_QUIET_MS);
  const asBars = lastCall <= BARS_MAX_POINTS && series.perPoint === 1 && (lastCall <= BARS_ALWAYS_MAX || quiet);
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

  // While the stream grows the axes move in steps (1, 2, 5 × 10^k), so that recharts lays them out a few
  // times per decade rather than at each redraw; once it has settled they fit the data.
  const growing = !useSettled(series, SETTLE_MS);
  const first = series.points[0];
  // From 0, so that the ticks fall on round numbers (the first call is 1).
  const xLow = first && first.x > 1 ? first.x : 0;
  const xTopGrowing = useGrowingTop(lastCall, conn?.id);
  const xTop = Math.max(xLow + 1, growing ? xTopGrowing : lastCall);
  const xDomain = useMemo(() => [xLow, xTop] as const, [xLow, xTop]);
  const lineSizeTop = niceTop(Math.max(series.maxSize, showBufferLine && buffer !== undefined ? buffer : 0) * 1.1);
  const lineSizeDomain = useMemo(() => [0, lineSizeTop] as const, [lineSizeTop]);
  const lastTotal = Math.max(lastPoint?.written ?? 0, lastPoint?.readTotal ?? 0);
  const totalTopGrowing = useGrowingTop(lastTotal, conn?.id);
  const totalTop = growing ? Math.max(niceTop(lastTotal), totalTopGrowing) : niceTop(lastTotal);
  const totalDomain = useMemo(() => [0, totalTop] as const, [totalTop]);
  const lines = useMemo(() => (asBars ? NO_LINES : { points: series.points, hasWrites, hasSummaries }), [asBars, series, hasWrites, hasSummaries]);
  const box = useRef<HTMLDivElement>(null);

  // Two charts, both mounted from page load, one shown: bars while a connection has few calls, lines past
  // that. Switching then changes no chart's set of series (adding or removing one makes recharts 3 run
  // every selector of the chart again, synchronously). Each is built again only when what it draws
  // changes: recharts does real work on every render it gets, and the store publishes a new view every
  // frame while anything is happening. The lines take their points from context, so only an axis that
  // moves makes recharts render them again.
  const barsData = series.points;
  const bufferLine = useMemo(
    () =>
      showBufferLine ? <ReferenceLine yAxisId="size" y={buffer} stroke={COLORS.buffer} strokeDasharray="6 3" ifOverflow="extendDomain" label={bufferLabel} /> : null,
    [showBufferLine, buffer, bufferLabel],
  );
  const barsPlotLive = useMemo(
    () => (
      <ComposedChart
        responsive
        style={CHART_STYLE}
        data={barsData}
        margin={CHART_MARGIN}
        barCategoryGap={barsData.length > 60 ? 1 : '20%'}
      >
        <CartesianGrid stroke={COLORS.grid} vertical={false} verticalCoordinatesGenerator={noVerticalLines} />
        <XAxis dataKey="x" stroke={COLORS.axis} tick={PLAIN_TICK} tickLine={false} interval={xTickInterval(barsData.length)} />
        <YAxis yAxisId="size" stroke={COLORS.axis} tick={PLAIN_TICK} interval={0} tickLine={false} allowDecimals={false} width={56} domain={sizeDomain} label={SIZE_LABEL} />
        <YAxis yAxisId="total" orientation="right" stroke={COLORS.axis} tick={PLAIN_TICK} interval={0} tickLine={false} allowDecimals={false} width={52} label={TOTAL_LABEL} />
        <Tooltip content={tooltipContent} cursor={TOOLTIP_CURSOR} isAnimationActive={false} />
        <Bar yAxisId="size" dataKey="write" name="write size" stackId="call" fill={COLORS.write} isAnimationActive={false} maxBarSize={48} />
        <Bar yAxisId="size" dataKey="read" name="read size" stackId="call" fill={COLORS.read} isAnimationActive={false} maxBarSize={48} />
        {/* Calls the live stream counted but did not send: one bar per bin at their mean size (a dashed line
            once the chart draws lines), hatched by opacity and outline, so that they read as totals and
            never as a hole. Series without values draw nothing. */}
        <Bar yAxisId="size" dataKey="sumWrite" name="writes, summarised (mean)" stackId="sum" fill={COLORS.write} fillOpacity={0.3} stroke={COLORS.write} strokeDasharray="3 2" isAnimationActive={false} maxBarSize={48} />
        <Bar yAxisId="size" dataKey="sumRead" name="reads, summarised (mean)" stackId="sum" fill={COLORS.read} fillOpacity={0.3} stroke={COLORS.read} strokeDasharray="3 2" isAnimationActive={false} maxBarSize={48} />
        <Line yAxisId="total" type="linear" dataKey="written" name="total written" stroke={COLORS.writeLine} strokeWidth={1.5} dot={barsData.length <= 60 ? WRITE_DOT : false} hide={!hasWrites} isAnimationActive={false} />
        <Line yAxisId="total" type="linear" dataKey="readTotal" name="total read" stroke={COLORS.readLine} strokeWidth={1.5} dot={barsData.length <= 60 ? READ_DOT : false} isAnimationActive={false} />
        {bufferLine}
      </ComposedChart>
    ),
    [barsData, hasWrites, bufferLine, sizeDomain],
  );
  // Lines: recharts draws the grid, axes and buffer line from explicit domains and no data (which it takes
  // only with `allowDataOverflow`; nothing overflows them); the lines are paths of our own from its scales
  // (chart-lines.tsx). Its per-series pass over the data cost 40–160 ms a redraw under a fast stream.
  const linesPlotLive = useMemo(
    () => (
      <ComposedChart responsive style={CHART_STYLE} data={NO_DATA} margin={CHART_MARGIN} accessibilityLayer={false}>
        <CartesianGrid stroke={COLORS.grid} vertical={false} verticalCoordinatesGenerator={noVerticalLines} />
        <XAxis dataKey="x" type="number" domain={xDomain} allowDataOverflow allowDecimals={false} stroke={COLORS.axis} tick={PLAIN_TICK} interval={0} tickLine={false} />
        <YAxis yAxisId="size" stroke={COLORS.axis} tick={PLAIN_TICK} interval={0} tickLine={false} allowDecimals={false} width={56} domain={lineSizeDomain} allowDataOverflow label={SIZE_LABEL} />
        <YAxis yAxisId="total" orientation="right" stroke={COLORS.axis} tick={PLAIN_TICK} interval={0} tickLine={false} allowDecimals={false} width={52} domain={totalDomain} allowDataOverflow label={TOTAL_LABEL} />
        <ChartLines tipHost={box} />
        {bufferLine}
      </ComposedChart>
    ),
    [bufferLine, xDomain, lineSizeDomain, totalDomain],
  );

  // The hidden chart keeps what it last drew: any redraw of it would be one nobody sees.
  const barsPlot = useFrozen(barsPlotLive, !asBars);
  const linesPlot = useFrozen(linesPlotLive, asBars);

  const footText =
    `${callsMade.toLocaleString()} calls: ${heldCalls.toLocaleString()} in detail` +
    (series.perPoint > 1 ? `, drawn as ${series.points.length.toLocaleString()} points (each the largest of ${series.perPoint} consecutive calls)` : '') +
    (hasSummaries
      ? `, ${series.summarisedCalls.toLocaleString()} summarised under load or gone from the store, drawn as ${asBars ? 'hatched bins' : 'dashed lines'} at their mean size with exact counts and bytes.`
      : '.') +
    ' Hover for exact counts and sums.';

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
        ref={box}
        className="chart-box"
        data-testid="reads-chart"
        data-conn-id={conn?.id ?? ''}
        data-points={series.points.length}
        data-draw={asBars ? 'bars' : 'lines'}
        data-reads={stream?.reads.length ?? 0}
        data-max-read={maxRead}
        data-summarised={series.summarisedCalls}
        data-written={lastPoint?.written ?? 0}
        data-read-total={lastPoint?.readTotal ?? 0}
        data-read-ahead={series.points.reduce((m, p) => Math.max(m, p.readTotal - p.written), 0)}
      >
        {/* The chart stays mounted even while empty: mounting recharts costs a long task, better paid at
            page load than at the moment the first burst arrives. */}
        <ChartLegend asBars={asBars} hasWrites={hasWrites} hasSummaries={hasSummaries} />
        {/* Hidden by visibility, not display: a chart without a size renders again in full when shown. */}
        <div className="chart-layer" data-hidden={!asBars} aria-hidden={!asBars} data-testid="chart-bars">
          {barsPlot}
        </div>
        <div className="chart-layer" data-hidden={asBars} aria-hidden={asBars} data-testid="chart-lines">
          <LinesContext.Provider value={lines}>{linesPlot}</LinesContext.Provider>
        </div>
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
        // One line, the rest in its title: a foot that wrapped as its numbers grew would resize the chart
        // (a full redraw) at every view of a stream.
        <div className="foot muted chart-foot" data-testid="chart-foot" title={footText}>
          {footText}
        </div>
      )}
    </section>
  );
}

const CHART_STYLE = { width: '100%', height: '100%' };
/** The top leaves room for the legend, which sits over the chart box. */
const CHART_MARGIN = { top: 30, right: 4, bottom: 0, left: -8 };
const NO_DATA: ChartPoint[] = [];
const NO_LINES = { points: NO_DATA, hasWrites: false, hasSummaries: false };
/** Ticks at round intervals of explicit domains, five per axis: they never need measuring to fit. */
const PLAIN_TICK = plainTick(axisNumber);
const SIZE_LABEL = { value: 'bytes per call', angle: -90, position: 'insideLeft', offset: 16, fill: COLORS.axis, fontSize: 11 } as const;
const TOTAL_LABEL = { value: 'total bytes', angle: 90, position: 'insideRight', offset: 10, fill: COLORS.axis, fontSize: 11 } as const;
const TOOLTIP_CURSOR = { fill: 'rgba(255,255,255,0.05)' };
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

/** Every call labelled up to X_TICKS bars, then every n-th: short numbers that need no measuring to fit. */
function xTickInterval(points: number): number {
  return Math.max(0, Math.ceil(points / X_TICKS) - 1);
}

/** A little room above the tallest bar or the buffer line, so the line's label never sits on a bar. */
function headroom(max: number): number {
  return Math.max(1, Math.ceil(max * 1.2));
}
