// The wire view's two reads of the store: the capture's state, and one connection's wire data.
import { useMemo, useSyncExternalStore } from 'react';
import type { CaptureState } from '../../shared/wire.ts';
import { useStore, useStoreView } from '../stream/event-store.ts';
import { connWire, emptyWire, type ConnWire } from './wire-data.ts';

export function useCaptureState(): CaptureState | null {
  const store = useStore();
  return useSyncExternalStore(store.subscribe, store.getCapture);
}

/** Recomputed only when the store publishes new events or another connection is chosen. */
export function useConnWire(connId: number | null): ConnWire {
  const { events } = useStoreView();
  return useMemo(() => (connId === null ? emptyWire(0) : connWire(events, connId)), [events, connId]);
}
