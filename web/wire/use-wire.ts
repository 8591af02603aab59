// The wire view's two reads of the store: the capture's state, and one connection's wire data.
import { useMemo } from 'react';
import type { CaptureState } from '../../shared/wire.ts';
import { useStoreValue, useStoreView, type EventStore } from '../stream/event-store.ts';
import { connWire, emptyWire, type ConnWire } from './wire-data.ts';

const readCapture = (store: EventStore): CaptureState | null => store.getCapture();

export function useCaptureState(): CaptureState | null {
  return useStoreValue(readCapture);
}

/** Recomputed only when the store publishes new events or another connection is chosen. */
export function useConnWire(connId: number | null): ConnWire {
  const { events } = useStoreView();
  return useMemo(() => (connId === null ? emptyWire(0) : connWire(events, connId)), [events, connId]);
}
