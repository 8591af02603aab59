// The kernel's view of both sockets of the connection over time, as ss reports it: bytes waiting to
// be read (Recv-Q), bytes sent but not yet acknowledged (Send-Q), and the window each end advertises.
// Stop reading and the server's Recv-Q climbs while its window shrinks.
import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { SampleEvent } from '../../shared/wire.ts';
import { formatBytes } from '../format/describe-event.ts';
import { COLORS } from '../views/palette.ts';
import { durationText } from './packet-text.ts';
import { niceCeil, socketSeries, type SocketPoint } from './socket-series.ts';

const SERIES: { key: keyof SocketPoint; name: string; color: string; dash?: string; axis: 'q' | 'w' }[] = [
  { key: 'serverRecvQ', name: 'server Recv-Q', color: COLORS.read, axis: 'q' },
  { key: 'serverSendQ', name: 'server Send-Q', color: COLORS.reply, dash: '5 3', axis: 'q' },
  { key: 'clientRecvQ', name: 'client Recv-Q', color: COLORS.write, axis: 'q' },
  { key: 'clientSendQ', name: 'client Send-Q', color: '#9cc9ff', dash: '5 3', axis: 'q' },
  { key: 'serverRcvWnd', name: 'server rcv window', color: '#6f7b8b', dash: '2 3', axis: 'w' },
];

export function SocketChart({ samples, connId, gone }: { samples: readonly SampleEvent[]; connId: number | null; gone?: string | null }) {
  const series = useMemo(() => socketSeries(samples), [samples]);
  const last = series.points.at(-1);
  return (
    <section className="panel wire-kernel" aria-label="Kernel socket state">
      <div className="panel-head">
        <h2>Kernel socket state</h2>
        {connId !== null && <span className="muted">#{connId}</span>}
        <span className="grow" />
        {last && (
          <span className="totals">
            <span style={{ color: COLORS.read }}>server Recv-Q {formatBytes(last.serverRecvQ ?? 0)}</span>
            <span className="muted">
              {last.serverState ?? '?'} / {last.clientState ?? '?'}
            </span>
          </span>
        )}
      </div>
      <div className="chart-box" data-testid="socket-chart" data-samples={samples.length} data-points={series.points.length} data-max-queue={series.maxQueue}>
        {series.points.length === 0 ? (
          <p className="empty">{gone ? `${gone} Its socket samples left with them.` : <>No socket samples yet: ss looks at the open connections every second, four times a second while data moves.</>}</p>
        ) : series.points.length === 1 ? (
          <OneLook samples={samples} />
        ) : (
          <LineChart responsive style={{ width: '100%', height: '100%' }} data={series.points} margin={{ top: 4, right: 4, bottom: 0, left: -4 }}>
            <CartesianGrid stroke={COLORS.grid} vertical={false} />
            <XAxis
              dataKey="x"
              type="number"
              domain={['dataMin', 'dataMax']}
              stroke={COLORS.axis}
              tick={{ fontSize: 11 }}
              tickLine={false}
              tickFormatter={(x: number) => (x === 0 ? '0' : `+${durationText(x)}`)}
              minTickGap={36}
            />
            <YAxis
              yAxisId="q"
              stroke={COLORS.axis}
              tick={{ fontSize: 11 }}
              tickLine={false}
              allowDecimals={false}
              width={58}
              domain={[0, (max: number) => niceCeil(max * 1.1)]}
              tickFormatter={(v: number) => formatBytes(v)}
            />
            {series.hasWindows && (
              <YAxis
                yAxisId="w"
                orientation="right"
                stroke={COLORS.axis}
                tick={{ fontSize: 11 }}
                tickLine={false}
                width={56}
                tickFormatter={(v: number) => formatBytes(v)}
              />
            )}
            <Tooltip content={(p) => <SampleTip active={p.active} payload={p.payload} />} isAnimationActive={false} />
            <Legend verticalAlign="top" height={22} iconSize={10} wrapperStyle={{ fontSize: 11 }} />
            {SERIES.filter((s) => s.axis === 'q' || series.hasWindows).map((s) => (
              <Line
                key={s.key}
                yAxisId={s.axis}
                type="stepAfter"
                dataKey={s.key}
                name={s.name}
                stroke={s.color}
                strokeDasharray={s.dash}
                strokeWidth={s.axis === 'q' ? 1.8 : 1.2}
                dot={series.points.length <= 40 ? { r: 2, strokeWidth: 0, fill: s.color } : false}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        )}
      </div>
      <div className="foot muted">
        Recv-Q: received by the kernel, not yet read by the application. Send-Q: written, not yet acknowledged. Stop reading to watch the server’s Recv-Q fill. After the peer’s FIN, Recv-Q counts one more than the unread bytes: the FIN takes a sequence number of its own.
      </div>
    </section>
  );
}

/** A connection that lived between two looks (a burst takes milliseconds) has one sample per side: a table says more than a dot. */
function OneLook({ samples }: { samples: readonly SampleEvent[] }) {
  const last = (side: 'server' | 'client') => samples.findLast((s) => s.side === side);
  const rows = [last('client'), last('server')].filter((s): s is SampleEvent => s !== undefined);
  const v = (n: number | null, unit = '') => (n === null ? '—' : `${n.toLocaleString()}${unit}`);
  return (
    <div className="one-look">
      <table className="sample-table">
        <thead>
          <tr>
            <th>socket</th>
            <th>state</th>
            <th className="r">Recv-Q</th>
            <th className="r">Send-Q</th>
            <th className="r">rcv window</th>
            <th className="r">RTT</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={s.side} className={`side-${s.side}`}>
              <td>{s.side}</td>
              <td className="mono">{s.state}</td>
              <td className="r mono">{v(s.recvQ, ' B')}</td>
              <td className="r mono">{v(s.sendQ, ' B')}</td>
              <td className="r mono">{v(s.rcvWnd, ' B')}</td>
              <td className="r mono">{s.rttMs === null ? '—' : `${s.rttMs} ms`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small-text">
        One look only: this connection came and went between two samples. Hold one open (<code>nc</code>) and stop reading to watch its queues over time.
      </p>
    </div>
  );
}

function SampleTip({ active, payload }: { active: boolean; payload: readonly { payload?: unknown }[] | undefined }) {
  const p = payload?.[0]?.payload as SocketPoint | undefined;
  if (!active || p === undefined) return null;
  const v = (n: number | null) => (n === null ? '—' : formatBytes(n));
  return (
    <div className="chart-tip">
      <div className="tip-title">+{durationText(p.x)}</div>
      <div style={{ color: COLORS.read }}>
        server {p.serverState ?? '?'}: Recv-Q {v(p.serverRecvQ)} · Send-Q {v(p.serverSendQ)} · window {v(p.serverRcvWnd)}
      </div>
      <div style={{ color: COLORS.write }}>
        client {p.clientState ?? '?'}: Recv-Q {v(p.clientRecvQ)} · Send-Q {v(p.clientSendQ)} · window {v(p.clientRcvWnd)}
      </div>
    </div>
  );
}
