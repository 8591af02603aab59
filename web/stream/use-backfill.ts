// Keeps the selected connection complete: when the server's counters say it has more writes or
// reads than the page holds (the live stream summarised them), the store fetches the rest.
import { useEffect } from 'react';
import type { Connection } from '../../shared/connections.ts';
import { CLIENT_EVENT_CAPACITY } from './event-state.ts';
import { useStore, useStoreView } from './event-store.ts';

export function useBackfill(conn: Connection | null): void {
  const store = useStore();
  const { streams, paused } = useStoreView();
  const stream = conn ? streams.get(conn.id) : undefined;
  const heldWrites = stream?.writes.length ?? 0;
  const heldReads = stream?.reads.length ?? 0;
  const gap = conn !== null && (conn.writes > heldWrites || conn.reads > heldReads);
  // More than the page can hold would only be fetched to be dropped again.
  const fits = conn !== null && conn.writes + conn.reads <= CLIENT_EVENT_CAPACITY;
  const id = conn?.id;
  useEffect(() => {
    if (id !== undefined && gap && fits && !paused) store.backfill(id);
  }, [store, id, gap, fits, paused, heldWrites, heldReads, conn?.writes, conn?.reads]);
}
