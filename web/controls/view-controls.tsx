// Freeze and Clear act on this page only: the server keeps recording, and the counters keep counting.
import { useStore, useStoreView } from '../stream/event-store.ts';

export function ViewControls() {
  const store = useStore();
  const { paused, pending } = useStoreView();
  return (
    <div className="control view-controls">
      <button
        type="button"
        aria-pressed={paused}
        className={paused ? 'warn' : ''}
        title={paused ? 'Show everything that arrived meanwhile' : 'Freeze this page’s view; the server keeps reading, events keep arriving and are counted'}
        onClick={() => store.setPaused(!paused)}
      >
        {paused ? `Resume${pending > 0 ? ` (+${pending.toLocaleString()})` : ''}` : 'Freeze'}
      </button>
      <button type="button" title="Empty the log, chart and ribbon; open connections stay" onClick={() => store.clear()}>
        Clear
      </button>
    </div>
  );
}
