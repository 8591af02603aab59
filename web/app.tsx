// The page: status on top, the commands under it, then the selected connection (chart and ribbon)
// beside the list of connections, and the log of every event below.
import { useState } from 'react';
import { BufferControl } from './controls/buffer-control.tsx';
import { BurstForm } from './controls/burst-form.tsx';
import { NoticeProvider } from './controls/notice.tsx';
import { ReplyModeControl } from './controls/server-reading.tsx';
import { useStoreView } from './stream/event-store.ts';
import { useBackfill } from './stream/use-backfill.ts';
import { ConnectionList } from './views/connection-list.tsx';
import { EventLog } from './views/event-log.tsx';
import { ReadsChart } from './views/reads-chart.tsx';
import { selectedConnection } from './views/selection.ts';
import { StatusBar } from './views/status-bar.tsx';
import { ViewSwitch, type MainView } from './wire/view-switch.tsx';
import { WireView } from './wire/wire-view.tsx';
import { FramingControl } from './framing/framing-control.tsx';
import { ScenariosPanel } from './scenarios/scenarios-panel.tsx';
import { LiveOnly } from './session/live-only.tsx';
import { SessionBar } from './session/session-bar.tsx';
import { WatchPanel } from './watch/watch-panel.tsx';
import { EchoOnlyNote } from './watch/echo-only-note.tsx';
import { linkedConnection } from './session/view-link.ts';
import { RibbonStack } from './views/ribbon-stack.tsx';
import { scenarioSelection } from './scenarios/scenario-selection.ts';
import { FilterBar } from './analysis/filter-bar.tsx';

export function App() {
  const { connections } = useStoreView();
  const [pinned, setPinned] = useState<number | null>(linkedConnection);
  const selected = selectedConnection(connections, pinned);
  const isPinned = pinned !== null && selected?.id === pinned;
  const [view, setView] = useState<MainView>('reads');
  const [compareId, setCompareId] = useState<number | null>(null);
  useBackfill(selected);

  return (
    <NoticeProvider>
      <div className="app">
        <StatusBar />
        <div className="toolbar" role="toolbar" aria-label="Commands">
          <LiveOnly label="Live server controls">
            <BufferControl />
            <FramingControl />
            <ReplyModeControl />
            <BurstForm />
          </LiveOnly>
          <ViewSwitch view={view} onChange={setView} />
          <EchoOnlyNote conn={selected} />
        </div>
        <ScenariosPanel
          onRan={(run) => {
            const pick = scenarioSelection(run.connIds);
            setPinned(pick.pinned);
            setCompareId(pick.compare);
          }}
          onSelect={setPinned}
        />
        <WatchPanel />
        <SessionBar pinned={pinned} />
        <FilterBar />
        <main id="data" tabIndex={-1} className={view === 'wire' ? 'grid wire-grid' : 'grid'}>
          <ConnectionList selectedId={selected?.id ?? null} pinned={isPinned} onSelect={setPinned} />
          {view === 'wire' ? (
            <WireView conn={selected} />
          ) : (
            <>
              <ReadsChart conn={selected} />
              <RibbonStack selected={selected} connections={connections} compareId={compareId} onCompare={setCompareId} />
              <EventLog selectedConnId={selected?.id ?? null} />
            </>
          )}
        </main>
      </div>
    </NoticeProvider>
  );
}
