// Every connection the echo server has seen, newest first, with the server's exact counters.
// Clicking one pins it as the subject of the chart, the ribbon and (optionally) the log.
import { WatchedBadge } from '../watch/watched-badge.tsx';
import type { Connection } from '../../shared/connections.ts';
import { EVENT_DETAIL_CHUNKS_PER_SEC } from '../../shared/limits.ts';
import { closeReasonText, formatBytes } from '../format/describe-event.ts';
import { useStoreView } from '../stream/event-store.ts';

interface Props {
  selectedId: number | null;
  pinned: boolean;
  onSelect(id: number | null): void;
}

export function ConnectionList({ selectedId, pinned, onSelect }: Props) {
  const { connections } = useStoreView();
  return (
    <section className="panel conns" aria-label="Connections">
      <div className="panel-head">
        <h2>Connections</h2>
        <span className="muted">{connections.length}</span>
        <span className="grow" />
        {pinned ? (
          <button type="button" className="small" onClick={() => onSelect(null)} title="Let the selection follow the newest connection again">
            #{selectedId} pinned · follow newest
          </button>
        ) : (
          <span className="muted small-text">following newest · click a row to pin</span>
        )}
      </div>
      <div className="table-wrap">
        <table className="conn-table">
          <thead>
            <tr>
              <th>Connection</th>
              <th>State</th>
              <th>Peer</th>
              <th className="r" title="Writes by the built-in client, and their bytes (not visible for outside clients)">
                Writes
              </th>
              <th className="r" title="Reads by the echo server, and their bytes">
                Reads
              </th>
              <th className="r" title="Bytes the echo server sent back">
                Replied
              </th>
            </tr>
          </thead>
          <tbody>
            {connections.map((c, i) => (
              <ConnRow
                key={c.id}
                c={c}
                selected={c.id === selectedId}
                // One tab stop for the whole list (the selected row); ↑/↓ move within it.
                tabStop={selectedId === null ? i === 0 : c.id === selectedId}
                onSelect={onSelect}
                onStep={(step) => {
                  const next = connections[i + step];
                  if (next === undefined) return;
                  onSelect(next.id);
                  requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-testid=conn-row][data-conn-id="${next.id}"]`)?.focus());
                }}
              />
            ))}
          </tbody>
        </table>
        {connections.length === 0 && (
          <p className="empty">No connections yet. Send a burst, or connect any TCP client to the echo server.</p>
        )}
      </div>
    </section>
  );
}

function ConnRow(props: { c: Connection; selected: boolean; tabStop: boolean; onSelect(id: number): void; onStep(step: 1 | -1): void }) {
  const { c, selected, tabStop, onSelect, onStep } = props;
  const external = c.origin === 'external';
  return (
    <tr
      data-testid="conn-row"
      data-conn-id={c.id}
      data-state={c.state}
      aria-selected={selected}
      className={selected ? 'selected' : ''}
      tabIndex={tabStop ? 0 : -1}
      onClick={() => onSelect(c.id)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onSelect(c.id);
        } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          onStep(e.key === 'ArrowDown' ? 1 : -1);
        }
      }}
    >
      <td>
        <span className="mono conn-id">#{c.id}</span>
        {c.origin === 'watched' ? (
          <WatchedBadge c={c} />
        ) : (
          <span className={`badge ${external ? 'ext' : 'builtin'}`}>{external ? 'external' : 'built-in'}</span>
        )}
      </td>
      <td title={c.closeReason ? `${closeReasonText(c.closeReason)}${c.closeCode ? ` (${c.closeCode})` : ''}` : 'open'}>
        {c.state === 'open' ? (
          <span className="state-open">● open</span>
        ) : (
          <span className={`state-closed reason-${c.closeReason ?? 'none'}`}>
            closed{c.closeReason ? ` · ${c.closeReason}` : ''}
          </span>
        )}
      </td>
      <td className="mono">
        {c.remoteAddress}:{c.remotePort}
      </td>
      <td className="r mono pair" data-testid="conn-writes">
        {external ? (
          <i title="An outside client's writes happen in its own process">—</i>
        ) : (
          <>
            <b>{c.writes.toLocaleString()}</b>
            <span>{formatBytes(c.bytesWritten)}</span>
          </>
        )}
      </td>
      <td className="r mono pair" data-testid="conn-reads" data-bytes={c.bytesRead} title={readsTitle(c)}>
        <b>{c.reads.toLocaleString()}</b>
        <span>{formatBytes(c.bytesRead)}</span>
      </td>
      <td className="r mono">{formatBytes(c.bytesReplied)}</td>
    </tr>
  );
}

/** The reads cell's tooltip: exact bytes, and how many chunks the server counted without an event of their own. */
function readsTitle(c: Connection): string {
  const read = `${c.bytesRead.toLocaleString()} bytes read`;
  if (!c.eventsSummarised) return read;
  return `${read}\n${c.eventsSummarised.toLocaleString()} reads, writes and replies summarised: counted here, with no event of their own (past ${EVENT_DETAIL_CHUNKS_PER_SEC.toLocaleString()} events a second)`;
}
