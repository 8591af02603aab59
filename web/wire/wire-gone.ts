// What the wire view says of a connection whose events the page does not hold: never "nothing yet", but
// why they are not here, with the exact counters the connection list keeps for it. A page holds what
// arrived since it opened and the latest 2,000 events before; the server's store, the latest 20,000.
import type { Connection } from '../../shared/connections.ts';
import { EVENT_STORE_CAPACITY, SNAPSHOT_EVENTS } from '../../shared/limits.ts';
import { formatBytes } from '../format/describe-event.ts';
import type { ConnWire } from './wire-data.ts';

/**
 * The sentence, or null while the page holds the connection from its start (or it may simply not have
 * begun). A late socket sample or the close event alone does not count as holding it: those outlive the rest.
 */
export function wireGoneText(conn: Connection | null, wire: ConnWire): string | null {
  if (conn === null || wire.open !== null) return null;
  const calls = conn.writes + conn.reads + conn.replies;
  // An open connection that has done nothing yet may just be young; a closed one, or one with calls, had events.
  if (conn.state !== 'closed' && calls === 0) return null;
  const counts = [
    ...(conn.writes > 0 || conn.origin === 'builtin' ? [`${plural(conn.writes, 'write')} (${formatBytes(conn.bytesWritten)})`] : []),
    `${plural(conn.reads, 'read')} (${formatBytes(conn.bytesRead)})`,
    `${plural(conn.replies, 'reply', 'replies')} (${formatBytes(conn.bytesReplied)})`,
  ].join(', ');
  const n = (v: number) => v.toLocaleString('en-US');
  const held = wire.segments.length + wire.writes.length + wire.reads.length + wire.replies.length;
  if (held === 0) {
    return (
      `The segments and events of #${conn.id} are not held here: a page gets the latest ${n(SNAPSHOT_EVENTS)} events when it ` +
      `opens and all that follow, and the server’s store keeps the latest ${n(EVENT_STORE_CAPACITY)} (New session empties it). ` +
      `Its counters are exact: ${counts}.`
    );
  }
  // Its start is gone: it came before this page's first events, left the store, or was summarised under load.
  return (
    `The start of #${conn.id} is not held here (it came before the events this page got, left the event store, or was ` +
    `summarised under load); what is left is drawn. Its counters are exact: ${counts}.`
  );
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
