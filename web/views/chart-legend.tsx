// The chart's legend, drawn by the page: the lines of a busy chart are not recharts series, and one
// legend for bars and lines keeps its place and order whichever the chart draws.
import { COLORS } from './palette.ts';

interface Item {
  name: string;
  color: string;
  /** How the series is drawn: a bar, a solid line or a dashed one. */
  mark: 'bar' | 'line' | 'dashed' | 'hatched';
}

export function ChartLegend({ asBars, hasWrites, hasSummaries }: { asBars: boolean; hasWrites: boolean; hasSummaries: boolean }) {
  const items: Item[] = [];
  const size = asBars ? 'bar' : 'line';
  if (hasWrites) items.push({ name: 'write size', color: COLORS.write, mark: size });
  items.push({ name: 'read size', color: COLORS.read, mark: size });
  if (hasSummaries && hasWrites) items.push({ name: 'writes, summarised (mean)', color: COLORS.write, mark: asBars ? 'hatched' : 'dashed' });
  if (hasSummaries) items.push({ name: 'reads, summarised (mean)', color: COLORS.read, mark: asBars ? 'hatched' : 'dashed' });
  if (hasWrites) items.push({ name: 'total written', color: COLORS.writeLine, mark: 'line' });
  items.push({ name: 'total read', color: COLORS.readLine, mark: 'line' });
  return (
    <ul className="chart-legend" data-testid="chart-legend">
      {items.map((it) => (
        <li key={it.name}>
          <svg width="14" height="10" aria-hidden="true">
            {it.mark === 'line' || it.mark === 'dashed' ? (
              <line x1="0" x2="14" y1="5" y2="5" stroke={it.color} strokeWidth="2" strokeDasharray={it.mark === 'dashed' ? '3 2' : undefined} />
            ) : (
              <rect
                x="2"
                y="0.5"
                width="10"
                height="9"
                fill={it.color}
                fillOpacity={it.mark === 'hatched' ? 0.3 : 1}
                stroke={it.mark === 'hatched' ? it.color : 'none'}
                strokeDasharray="3 2"
              />
            )}
          </svg>
          {it.name}
        </li>
      ))}
    </ul>
  );
}
