import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { SESSION_CSV_COLUMNS, sessionCsvRow } from '../../shared/session-csv.ts';
import {
  SESSION_EXPORT_HEX_BUDGET_CHARS,
  SESSION_FORMAT,
  SESSION_MAX_EVENTS,
  SESSION_VERSION,
  type SessionDocument,
  sessionFileName,
} from '../../shared/session.ts';
import { type StoredEvent, toWire } from '../events/stored-event.ts';
import { hexBytesPerEvent, type SessionSources } from '../session/session-export.ts';
import { textStream } from './json-stream.ts';
import type { ResponseBudget } from './response-budget.ts';

const NoQuery = z.strictObject({});

/** What an event of the document holds besides its hex, and what a listed connection holds. */
const EVENT_OVERHEAD_BYTES = 320;
const CONNECTION_BYTES = 512;

/** The most a session export can hold while it streams: every event at its largest hex share, and the connections. */
function mostHeld(session: SessionSources): number {
  return SESSION_EXPORT_HEX_BUDGET_CHARS + Math.min(session.store.length, SESSION_MAX_EVENTS) * EVENT_OVERHEAD_BYTES + session.connections().length * CONNECTION_BYTES;
}

function held(events: readonly StoredEvent[], connections: number): number {
  let n = connections * CONNECTION_BYTES;
  for (const e of events) n += EVENT_OVERHEAD_BYTES + ('bytes' in e ? e.bytes.length : 0);
  return n;
}

/**
 * The session document of exportSession (session-export.ts), made lazily: the events are copied out of the
 * store now, cut to the bytes the document keeps of each, and turned into hex one by one as the answer
 * streams. Formatting 20,000 events at once would hold the event loop for seconds.
 */
function sessionParts(src: SessionSources): { doc: Omit<SessionDocument, 'events'>; events: StoredEvent[]; cap: number } {
  const stored = src.store.query({ limit: Math.max(1, Math.min(src.store.length, SESSION_MAX_EVENTS)) });
  let withBytes = 0;
  for (const e of stored) if ('bytes' in e) withBytes++;
  const cap = hexBytesPerEvent(withBytes);
  const events = stored.map((e) =>
    'bytes' in e && e.bytes.length > cap ? ({ ...e, bytes: e.bytes.slice(0, cap), truncated: true } as StoredEvent) : e,
  );
  const doc: Omit<SessionDocument, 'events'> = {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    exportedAt: Date.now(),
    initialConfig: src.history.before(events[0]?.seq ?? src.nextSeq()),
    config: src.config(),
    connections: src.connections(),
  };
  return { doc, events, cap };
}

/** GET /api/session.json: the session as one file (shared/session.ts). GET /api/session.csv: its reads, writes, replies and messages as a table. */
export const sessionRoute: FastifyPluginAsync<{ session: SessionSources; budget: ResponseBudget }> = async (app, { session, budget }) => {
  app.get('/api/session.json', { schema: { querystring: NoQuery } }, async (_req, reply) => {
    const reserved = budget.admit(reply, mostHeld(session), 'session.json');
    if (reserved === null) return reply;
    const { doc, events, cap } = sessionParts(session);
    reserved.settle(held(events, doc.connections.length));
    // The document's fields, then its events one by one as the client reads them.
    const head = JSON.stringify(doc).slice(0, -1) + ',"events":[';
    const body = textStream(head, events, (e) => JSON.stringify(toWire(e, cap)), ',', ']}');
    return reply
      .header('content-disposition', `attachment; filename="${sessionFileName(doc.exportedAt, 'json')}"`)
      .type('application/json; charset=utf-8')
      .send(body);
  });
  app.get('/api/session.csv', { schema: { querystring: NoQuery } }, async (_req, reply) => {
    const reserved = budget.admit(reply, mostHeld(session), 'session.csv');
    if (reserved === null) return reply;
    const { doc, events, cap } = sessionParts(session);
    reserved.settle(held(events, 0));
    const rows = textStream(SESSION_CSV_COLUMNS.join(',') + '\r\n', events, (e) => {
      const row = sessionCsvRow(toWire(e, cap));
      return row === null ? null : row + '\r\n';
    }, '', '');
    return reply
      .header('content-disposition', `attachment; filename="${sessionFileName(doc.exportedAt, 'csv')}"`)
      .type('text/csv; charset=utf-8')
      .send(rows);
  });
};
