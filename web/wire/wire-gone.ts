// What the wire view says of a connection whose events left the event store (the server's keeps the
// latest 20,000, and so does the page): never "nothing yet", but that they are gone, with the exact
// counters the connection list keeps for it.
import type { Connection } from '../../shared/connections.ts';
import { EVENT_STORE_CAPACITY } from '../../shared/limits.ts';
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
  const store = `(it keeps the latest ${EVENT_STORE_CAPACITY.toLocaleString('en-US')}, and New session empties it)`;
  const held = wire.segments.length + wire.writes.length + wire.reads.length + wire.replies.length;
  if (held === 0) return `The segments and events of #${conn.id} have left the event store ${store}; its counters are exact: ${counts}.`;
  // Its start is gone: it left the store, or the live stream summarised it under load.
  return `The start of #${conn.id} is not held here: it left the event store ${store}, or was summarised under load; what is left is drawn. Its counters are exact: ${counts}.`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
