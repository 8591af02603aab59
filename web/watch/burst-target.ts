// Where the burst form sends: the echo server (no `port` in the request) or a watched server's port.
// One value for the page, set by the watch panel's selector and read when a burst is sent.
import { useSyncExternalStore } from 'react';

let port: number | null = null;
const listeners = new Set<() => void>();

export function setBurstTarget(next: number | null): void {
  port = next;
  for (const l of listeners) l();
}

/** The part of a POST /api/bursts body that picks the target. */
export function burstTarget(): { port?: number } {
  return port === null ? {} : { port };
}

export function useBurstTarget(): number | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => port,
  );
}
