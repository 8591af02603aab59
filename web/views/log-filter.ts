// Which events the log lists, newest first. Kinds are hidden rather than chosen, so that a kind the
// page has never heard of is shown by default.
import type { TcpEvent } from '../../shared/events.ts';

export interface LogFilter {
  hiddenKinds: ReadonlySet<string>;
  /** Only this connection's events (and the server-wide ones, connId 0), or all when null. */
  connId: number | null;
}

export function filterLog(events: readonly TcpEvent[], filter: LogFilter): TcpEvent[] {
  const out: TcpEvent[] = [];
  const { hiddenKinds, connId } = filter;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (hiddenKinds.has(e.kind)) continue;
    if (connId !== null && e.connId !== connId && e.connId !== 0) continue;
    out.push(e);
  }
  return out;
}

/** Kinds present in the events, known ones first in their usual order, then any newer ones. */
export function kindsPresent(events: readonly TcpEvent[], known: readonly string[]): string[] {
  const seen = new Set<string>(known);
  const extra: string[] = [];
  for (const e of events) {
    if (!seen.has(e.kind)) {
      seen.add(e.kind);
      extra.push(e.kind);
    }
  }
  return [...known, ...extra];
}

/** How many rows at the top of `rows` are newer than `seq`: how far the list moved down. */
export function rowsNewerThan(rows: readonly TcpEvent[], seq: number): number {
  let n = 0;
  while (n < rows.length && rows[n]!.seq > seq) n++;
  return n;
}
