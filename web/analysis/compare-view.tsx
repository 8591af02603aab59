// Two connections side by side: what each one's writes became on the wire and in the server's reads
// (Nagle on/off, buffer 7 against 1024), with each one's byte ribbon, its stream and its cuts.
import { useId } from 'react';
import type { Connection } from '../../shared/connections.ts';
import { useStoreView } from '../stream/event-store.ts';
import { flowSummary } from '../wire/ladder-layout.ts';
import { useConnWire } from '../wire/use-wire.ts';
import type { ConnWire } from '../wire/wire-data.ts';
import { FollowView } from './follow-view.tsx';
import { ByteRibbon } from '../views/byte-ribbon.tsx';

export function CompareView({ conn, wire, otherId, onOther }: { conn: Connection | null; wire: ConnWire; otherId: number | null; onOther(id: number | null): void }) {
  const { connections } = useStoreView();
  const other = useConnWire(otherId);
  const id = useId();
  const choices = connections.filter((c) => c.id !== conn?.id);
  return (
    <div className="compare">
      <div className="packet-list-head">
        <label htmlFor={id}>Compare #{conn?.id ?? '—'} with…</label>
        <select id={id} data-testid="analysis-compare-select" value={otherId ?? ''} onChange={(e) => onOther(e.target.value === '' ? null : Number(e.target.value))}>
          <option value="">choose a connection</option>
          {choices.map((c) => (
            <option key={c.id} value={c.id}>
              #{c.id} · {c.writes} {c.writes === 1 ? 'write' : 'writes'} · {c.reads} {c.reads === 1 ? 'read' : 'reads'}
            </option>
          ))}
        </select>
      </div>
      <div className="compare-pair">
        <Side conn={conn} wire={wire} testId="compare-left" />
        {otherId === null ? (
          <p className="empty">Choose a second connection to see it beside this one.</p>
        ) : (
          <Side conn={connections.find((c) => c.id === otherId) ?? null} wire={other} testId="compare-right" />
        )}
      </div>
    </div>
  );
}

function Side({ conn, wire, testId }: { conn: Connection | null; wire: ConnWire; testId: string }) {
  const dataSegs = wire.segments.filter((s) => s.direction === 'c2s' && s.payloadLength > 0);
  const sizes = (xs: ReadonlyArray<{ length: number }>) => (xs.length <= 12 ? xs.map((x) => x.length).join(', ') : `${xs.slice(0, 12).map((x) => x.length).join(', ')}, …`);
  return (
    <div className="compare-side" data-testid={testId} data-conn-id={conn?.id ?? ''} data-reads={wire.reads.length} data-data-segments={dataSegs.length}>
      <h3>#{conn?.id ?? '—'}</h3>
      <p className="summary">{flowSummary(wire) ?? 'nothing recorded'}</p>
      <dl className="compare-stats">
        <dt>writes</dt>
        <dd>{wire.writes.length > 0 ? `${wire.writes.length} (${sizes(wire.writes)} B)` : '—'}</dd>
        <dt>data segments c→s</dt>
        <dd>{dataSegs.length > 0 ? `${dataSegs.length} (${dataSegs.slice(0, 12).map((s) => s.payloadLength).join(', ')} B)` : '—'}</dd>
        <dt>reads</dt>
        <dd>{wire.reads.length > 0 ? `${wire.reads.length} (${sizes(wire.reads)} B)` : '—'}</dd>
        <dt>replies</dt>
        <dd>{wire.replies.length > 0 ? `${wire.replies.length} (${sizes(wire.replies)} B)` : '—'}</dd>
      </dl>
      <ByteRibbon conn={conn} label={`Byte stream of #${conn?.id ?? '—'}`} />
      <FollowView wire={wire} mode="text" picked={null} onPick={() => {}} testId={`${testId}-stream`} />
    </div>
  );
}
