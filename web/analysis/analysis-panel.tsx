// The analyst's panel of the wire view: follow stream and compare, with copy of the picked chunk. (The
// packet list is a panel of its own, beside the ladder: packet-list-panel.tsx.)
import { useState } from 'react';
import type { Connection } from '../../shared/connections.ts';
import type { ChunkEvent } from '../../shared/events.ts';
import { Segmented, type SegmentedOption } from '../controls/segmented.tsx';
import { eventBytes } from '../format/event-bytes.ts';
import type { ConnWire } from '../wire/wire-data.ts';
import { CompareView } from './compare-view.tsx';
import { CopyMenu } from './copy-menu.tsx';
import { FollowView, type FollowMode } from './follow-view.tsx';
import './analysis.css';

type Tab = 'follow' | 'compare';
const TABS: SegmentedOption<Tab>[] = [
  { value: 'follow', label: 'Follow stream', title: 'Both directions as text or hex, with read and write cuts' },
  { value: 'compare', label: 'Compare', title: 'This connection beside another one' },
];
const MODES: SegmentedOption<FollowMode>[] = [
  { value: 'text', label: 'Text', title: 'Printable bytes as text' },
  { value: 'hex', label: 'Hex', title: 'Every byte in hex' },
];

interface Props {
  wire: ConnWire;
  conn: Connection | null;
}

export function AnalysisPanel({ wire, conn }: Props) {
  const [tab, setTab] = useState<Tab>('follow');
  const [mode, setMode] = useState<FollowMode>('text');
  const [chunk, setChunk] = useState<ChunkEvent | null>(null);
  const [otherId, setOtherId] = useState<number | null>(null);
  const pickedChunk = chunk !== null && chunk.connId === conn?.id ? chunk : null;
  return (
    <section className="panel wire-analysis" aria-label="Follow stream and compare">
      <div className="panel-head">
        <h2>Streams</h2>
        <Segmented<Tab> options={TABS} value={tab} onSelect={setTab} />
        {tab === 'follow' && <Segmented<FollowMode> options={MODES} value={mode} onSelect={setMode} />}
        <span className="grow" />
        {tab === 'follow' && pickedChunk && <CopyMenu bytes={eventBytes(pickedChunk)} what={`${pickedChunk.kind} payload`} />}
      </div>
      {tab === 'follow' && (
        <>
          <div className="follow-legend">
            <span className="follow-chunk c2s">client → server</span>
            <span className="follow-chunk s2c">server → client</span>
            <span>
              <span className="follow-cut" /> read ended
            </span>
            <span>
              <span className="follow-cut write" /> write ended
            </span>
            <span>click a chunk to copy it</span>
          </div>
          <FollowView wire={wire} mode={mode} picked={pickedChunk} onPick={setChunk} />
        </>
      )}
      {tab === 'compare' && <CompareView conn={conn} wire={wire} otherId={otherId} onOther={setOtherId} />}
    </section>
  );
}
