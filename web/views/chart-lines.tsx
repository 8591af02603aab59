// The chart's lines once it has too many calls for bars: drawn inside the recharts chart from its own
// axis scales, one <path> per series, so that a redraw under a fast stream costs a string per line
// rather than recharts' per-series pass. Hover and ←/→ show the exact counts of a point.
import { createContext, useContext, useMemo, useState, type KeyboardEvent, type PointerEvent, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import { usePlotArea, useXAxisScale, useYAxisScale, type BaseTickContentProps } from 'recharts';
import type { ChartPoint } from './chart-data.ts';
import { linearPath, nearestPoint, stepPath, type Scale } from './chart-paths.ts';
import { ChartTooltip } from './chart-tooltip.tsx';
import { COLORS } from './palette.ts';

export interface LinesData {
  points: readonly ChartPoint[];
  hasWrites: boolean;
  hasSummaries: boolean;
}

/**
 * The lines' data reaches them through context, not props: the chart element around them then keeps its
 * identity from one redraw to the next, and recharts renders nothing again unless an axis moved.
 */
export const LinesContext = createContext<LinesData>({ points: [], hasWrites: false, hasSummaries: false });

const TIP_WIDTH = 260;

/** `tipHost`: where the tooltip goes, the chart's box (which is positioned). */
export function ChartLines({ tipHost }: { tipHost: RefObject<HTMLElement | null> }) {
  const { points, hasWrites, hasSummaries } = useContext(LinesContext);
  const x = useXAxisScale() as Scale | undefined;
  const ySize = useYAxisScale('size') as Scale | undefined;
  const yTotal = useYAxisScale('total') as Scale | undefined;
  const area = usePlotArea();
  const [active, setActive] = useState<number | null>(null);

  const paths = useMemo(() => {
    if (!x || !ySize || !yTotal) return null;
    return {
      write: hasWrites ? stepPath(points, 'write', x, ySize, true) : '',
      read: stepPath(points, 'read', x, ySize, true),
      sumWrite: hasWrites && hasSummaries ? stepPath(points, 'sumWrite', x, ySize, false) : '',
      sumRead: hasSummaries ? stepPath(points, 'sumRead', x, ySize, false) : '',
      written: hasWrites ? linearPath(points, 'written', x, yTotal) : '',
      readTotal: linearPath(points, 'readTotal', x, yTotal),
    };
  }, [points, x, ySize, yTotal, hasWrites, hasSummaries]);
  if (!paths || !area || !x) return null;

  const shown = active !== null && active < points.length ? points[active]! : null;
  const cursorX = shown ? x(shown.x) : undefined;

  const onPointerMove = (e: PointerEvent<SVGRectElement>) => {
    const svg = e.currentTarget.ownerSVGElement;
    if (!svg) return;
    const px = e.clientX - svg.getBoundingClientRect().left;
    setActive(nearestPoint(points, x, px));
  };
  const onKeyDown = (e: KeyboardEvent<SVGGElement>) => {
    const last = points.length - 1;
    const at = active ?? last;
    const next = e.key === 'ArrowLeft' ? at - 1 : e.key === 'ArrowRight' ? at + 1 : e.key === 'Home' ? 0 : e.key === 'End' ? last : null;
    if (next === null) return;
    e.preventDefault();
    setActive(Math.max(0, Math.min(last, next)));
  };

  // The tooltip sits beside the cursor, on the side with room.
  const host = tipHost.current;
  const tipLeft = cursorX === undefined ? 0 : cursorX + TIP_WIDTH + 16 > (host?.clientWidth ?? 0) ? Math.max(0, cursorX - TIP_WIDTH - 12) : cursorX + 12;

  return (
    <g
      className="chart-lines"
      tabIndex={0}
      role="application"
      aria-label="Writes and reads by call: ← and → step through the points"
      onKeyDown={onKeyDown}
      onFocus={() => setActive((a) => a ?? points.length - 1)}
      onBlur={() => setActive(null)}
    >
      <path d={paths.write} stroke={COLORS.write} fill="none" data-series="write" />
      <path d={paths.read} stroke={COLORS.read} fill="none" data-series="read" />
      <path d={paths.sumWrite} stroke={COLORS.write} strokeOpacity={0.6} strokeDasharray="3 2" fill="none" data-series="sumWrite" />
      <path d={paths.sumRead} stroke={COLORS.read} strokeOpacity={0.6} strokeDasharray="3 2" fill="none" data-series="sumRead" />
      <path d={paths.written} stroke={COLORS.writeLine} strokeWidth={1.5} fill="none" data-series="written" />
      <path d={paths.readTotal} stroke={COLORS.readLine} strokeWidth={1.5} fill="none" data-series="readTotal" />
      {cursorX !== undefined && (
        <line x1={cursorX} x2={cursorX} y1={area.y} y2={area.y + area.height} stroke="rgba(255,255,255,0.35)" strokeDasharray="2 2" />
      )}
      <rect
        x={area.x}
        y={area.y}
        width={Math.max(0, area.width)}
        height={Math.max(0, area.height)}
        fill="transparent"
        onPointerMove={onPointerMove}
        onPointerLeave={() => setActive(null)}
      />
      {shown && host &&
        createPortal(
          <div className="chart-tip-float" style={{ left: tipLeft, top: area.y + 4, width: TIP_WIDTH }} data-testid="chart-tip">
            <ChartTooltip active payload={[{ payload: shown }]} />
          </div>,
          host,
        )}
    </g>
  );
}

/**
 * An axis label as plain SVG text, with ticks shown at every interval (`interval={0}`): recharts' own
 * measures each new label in the DOM to space them, a forced layout of the whole page per redraw.
 */
export function plainTick(format: (n: number) => string) {
  return function PlainTick({ x, y, fill, textAnchor, verticalAnchor, payload }: BaseTickContentProps) {
    const dy = verticalAnchor === 'start' ? '0.71em' : verticalAnchor === 'middle' ? '0.355em' : '0';
    return (
      <text x={x} y={y} dy={dy} fill={fill} fontSize={11} textAnchor={textAnchor} className="recharts-cartesian-axis-tick-value">
        {format(Number(payload.value))}
      </text>
    );
  };
}
