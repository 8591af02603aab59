// The packet list as a panel of its own beside the sequence ladder, as Wireshark's packet list sits above
// its detail: one selection shared with the ladder, and copy of the selected segment's payload.
import type { Connection } from '../../shared/connections.ts';
import { eventBytes } from '../format/event-bytes.ts';
import type { StreamHealth } from '../wire/stream-health.ts';
import type { ConnWire } from '../wire/wire-data.ts';
import { CopyMenu } from './copy-menu.tsx';
import { PacketList } from './packet-list.tsx';
import './analysis.css';

interface Props {
  wire: ConnWire;
  conn: Connection | null;
  health: StreamHealth;
  selectedSeq: number | null;
  onSelect(seq: number): void;
  /** Said instead of "no segments yet" when the connection's events left the store. */
  gone?: string | undefined;
}

export function PacketListPanel({ wire, conn, health, selectedSeq, onSelect, gone }: Props) {
  const segment = selectedSeq === null ? undefined : wire.segments.find((s) => s.seq === selectedSeq);
  return (
    <section className="panel wire-packets" aria-label="Packet list">
      <div className="panel-head">
        <h2>Packets</h2>
        {conn && <span className="muted">#{conn.id}</span>}
        <span className="grow" />
        {segment && segment.payloadLength > 0 && <CopyMenu bytes={eventBytes(segment)} what="segment payload" />}
      </div>
      <PacketList segments={wire.segments} notes={health.notes} selectedSeq={selectedSeq} onSelect={onSelect} gone={gone} />
    </section>
  );
}
