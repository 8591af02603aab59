// The page: status on top, the commands under it, then the selected connection (chart and ribbon)
// beside the list of connections, and the log of every event below.
import { useState } from 'react';
import { BufferControl } from './controls/buffer-control.tsx';
import { BurstForm } from './controls/burst-form.tsx';
import { NoticeProvider } from './controls/notice.tsx';
import { ReplyModeControl } from './controls/server-reading.tsx';
import { useStoreView } from './stream/event-store.ts';
import { useBackfill } from './stream/use-backfill.ts';
import { ByteRibbon } from './views/byte-ribbon.tsx';
import { ConnectionList } from './views/connection-list.tsx';
import { EventLog } from './views/event-log.tsx';
import { ReadsChart } from './views/reads-chart.tsx';
import { selectedConnection } from './views/selection.ts';
import { StatusBar } from './views/status-bar.tsx';

export function App() {
  const { connections } = useStoreView();
  const [pinned, setPinned] = useState<number | null>(null);
  const selected = selectedConnection(connections, pinned);
  const isPinned = pinned !== null && selected?.id === pinned;
  useBackfill(selected);

  return (
    <NoticeProvider>
      <div className="app">
        <StatusBar />
        <div className="toolbar" role="toolbar" aria-label="Commands">
          <BufferControl />
          <ReplyModeControl />
          <BurstForm />
        </div>
        <main className="grid">
          <ConnectionList selectedId={selected?.id ?? null} pinned={isPinned} onSelect={setPinned} />
          <ReadsChart conn={selected} />
          <ByteRibbon conn={selected} />
          <EventLog selectedConnId={selected?.id ?? null} />
        </main>
      </div>
    </NoticeProvider>
  );
}
