// Which connection the chart and ribbon follow. Without a pin it is the newest one, so a fresh burst
// or a new outside client is on screen the moment it connects; a click pins a connection until the
// user lets go or it leaves the list.
import type { Connection } from '../../shared/connections.ts';

/** `connections` newest first, as the store view holds them. */
export function selectedConnection(connections: readonly Connection[], pinned: number | null): Connection | null {
  if (pinned !== null) {
    const c = connections.find((c) => c.id === pinned);
    if (c !== undefined) return c;
  }
  return connections[0] ?? null;
}
