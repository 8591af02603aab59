// The chart's tooltip: a point's calls with exact counts and bytes, and what was summarised.
import { clockTime, formatBytes } from '../format/describe-event.ts';
import type { ChartPoint } from './chart-data.ts';
import { COLORS } from './palette.ts';

export function plural(n: number, word: string): string {
  return `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;
}

export function ChartTooltip({ active, payload }: { active: boolean; payload: readonly { payload?: unknown }[] | undefined }) {
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
