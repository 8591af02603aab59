import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { TcpEvent } from '../../shared/events.ts';
import { SESSION_CSV_COLUMNS, sessionCsvRow } from '../../shared/session-csv.ts';
import { SESSION_EXPORT_HEX_BUDGET_CHARS, SESSION_MAX_EVENTS, sessionFileName } from '../../shared/session.ts';
import { exportSession, type SessionSources } from '../session/session-export.ts';
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

function held(events: readonly TcpEvent[], connections: number): number {
  let n = connections * CONNECTION_BYTES;
  for (const e of events) n += EVENT_OVERHEAD_BYTES + ('hex' in e ? e.hex.length : 0);
  return n;
}

/** GET /api/session.json: the session as one file (shared/session.ts). GET /api/session.csv: its reads, writes, replies and messages as a table. */
export const sessionRoute: FastifyPluginAsync<{ session: SessionSources; budget: ResponseBudget }> = async (app, { session, budget }) => {
  app.get('/api/session.json', { schema: { querystring: NoQuery } }, async (_req, reply) => {
    const reserved = budget.admit(reply, mostHeld(session), 'session.json');
    if (reserved === null) return reply;
    const { events, ...doc } = exportSession(session, Date.now());
    reserved.settle(held(events, doc.connections.length));
    // The document's fields, then its events one by one as the client reads them.
    const head = JSON.stringify(doc).slice(0, -1) + ',"events":[';
    const body = textStream(head, events, (e) => JSON.stringify(e), ',', ']}');
    return reply
      .header('content-disposition', `attachment; filename="${sessionFileName(doc.exportedAt, 'json')}"`)
      .type('application/json; charset=utf-8')
      .send(body);
  });
  app.get('/api/session.csv', { schema: { querystring: NoQuery } }, async (_req, reply) => {
    const reserved = budget.admit(reply, mostHeld(session), 'session.csv');
    if (reserved === null) return reply;
    const doc = exportSession(session, Date.now());
    reserved.settle(held(doc.events, 0));
    const rows = textStream(SESSION_CSV_COLUMNS.join(',') + '\r\n', doc.events, (e) => {
      const row = sessionCsvRow(e);
      return row === null ? null : row + '\r\n';
    }, '', '');
    return reply
      .header('content-disposition', `attachment; filename="${sessionFileName(doc.exportedAt, 'csv')}"`)
      .type('text/csv; charset=utf-8')
      .send(rows);
  });
};
