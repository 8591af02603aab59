// The byte ribbon of the selected connection and, on demand, a second one under it for another
// connection: Nagle on against off, buffer 7 against 1024, read cut against read cut at the same scale.
import type { Connection } from '../../shared/connections.ts';
import { ByteRibbon } from './byte-ribbon.tsx';

interface Props {
  selected: Connection | null;
  connections: readonly Connection[];
  compareId: number | null;
  onCompare(id: number | null): void;
}

export function RibbonStack({ selected, connections, compareId, onCompare }: Props) {
  const compared = compareId === null || compareId === selected?.id ? null : (connections.find((c) => c.id === compareId) ?? null);
  const others = connections.filter((c) => c.id !== selected?.id).slice(0, 100);
  const picker = (
    <label className="compare-pick">
      <span className="muted small-text">compare with</span>
      <select
        aria-label="Compare with connection"
        data-testid="compare-select"
        value={compared?.id ?? ''}
        onChange={(e) => onCompare(e.target.value === '' ? null : Number(e.target.value))}
      >
        <option value="">none</option>
        {others.map((c) => (
          <option key={c.id} value={c.id}>
            #{c.id}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="ribbon-stack">
      <ByteRibbon conn={selected} extra={others.length > 0 ? picker : null} />
      {compared && <ByteRibbon conn={compared} label="Byte stream, compared" />}
    </div>
  );
}
