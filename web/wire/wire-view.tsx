// The wire view of the selected connection: the sequence ladder with the capture's status, the stream's
// health and the wire commands above it; the packet list beside it, sharing its selection; the packet
// detail of the selected segment; the kernel's socket state; follow stream and compare. Panels that take
// their places in the page's grid (wire.css).
import { useMemo, useState } from 'react';
import type { Connection } from '../../shared/connections.ts';
import { CaptureStatus } from './capture-status.tsx';
import { HealthStrip } from './health-strip.tsx';
import { flowSummary } from './ladder-layout.ts';
import { PacketDetail } from './packet-detail.tsx';
import { SequenceLadder } from './sequence-ladder.tsx';
import { SocketChart } from './socket-chart.tsx';
import { streamHealth, summarizedFor } from './stream-health.ts';
import { useCaptureState, useConnWire } from './use-wire.ts';
import { StopReadingSwitch, PcapButton } from './wire-controls.tsx';
import './wire.css';
import { AnalysisPanel } from '../analysis/analysis-panel.tsx';
import { PacketListPanel } from '../analysis/packet-list-panel.tsx';
import { wireGoneText } from './wire-gone.ts';

export function WireView({ conn }: { conn: Connection | null }) {
  const wire = useConnWire(conn?.id ?? null);
  const capture = useCaptureState();
  const health = useMemo(() => streamHealth(wire.segments), [wire.segments]);
  const [picked, setPicked] = useState<{ connId: number; seq: number } | null>(null);
  const pickedIndex = picked !== null && picked.connId === conn?.id ? wire.segments.findIndex((s) => s.seq === picked.seq) : -1;
  // Until an arrow is clicked, the first segment that carried the client's bytes is the one shown.
  const index = pickedIndex >= 0 ? pickedIndex : wire.segments.findIndex((s) => s.direction === 'c2s' && s.payloadLength > 0);
  const selected = index >= 0 ? wire.segments[index]! : null;
  const summary = flowSummary(wire);
  const gone = wireGoneText(conn, wire);
  const select = (seq: number) => conn && setPicked({ connId: conn.id, seq });

  return (
    <>
      <section className="panel wire-ladder" aria-label="Sequence ladder">
        <div className="panel-head">
          <h2>Wire</h2>
          {conn && <span className="muted">#{conn.id}</span>}
          {summary && (
            <span className="summary" data-testid="wire-summary">
              {summary}
            </span>
          )}
          <span className="grow" />
          <StopReadingSwitch />
          <PcapButton conn={conn} segments={wire.segments.length} />
        </div>
        <div className="wire-status">
          <CaptureStatus state={capture} />
          <HealthStrip health={health} summarized={summarizedFor(capture, conn?.id ?? null)} dropped={capture?.framesDropped ?? 0} />
        </div>
        <SequenceLadder
          wire={wire}
          conn={conn}
          health={health}
          selectedSeq={selected?.seq ?? null}
          onSelect={select}
          gone={gone}
        />
      </section>
      <PacketListPanel wire={wire} conn={conn} health={health} selectedSeq={selected?.seq ?? null} onSelect={select} gone={gone ?? undefined} />
      <PacketDetail segment={selected} notes={index >= 0 ? health.notes[index] : undefined} wire={wire} conn={conn} chosen={pickedIndex >= 0} gone={gone} />
      <SocketChart samples={wire.samples} connId={conn?.id ?? null} gone={gone} />
      <AnalysisPanel wire={wire} conn={conn} />
    </>
  );
}
