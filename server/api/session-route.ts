import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { sessionCsv } from '../../shared/session-csv.ts';
import { sessionFileName } from '../../shared/session.ts';
import { exportSession, type SessionSources } from '../session/session-export.ts';

const NoQuery = z.strictObject({});

/** GET /api/session.json: the session as one file (shared/session.ts). GET /api/session.csv: its reads, writes, replies and messages as a table. */
export const sessionRoute: FastifyPluginAsync<{ session: SessionSources }> = async (app, { session }) => {
  app.get('/api/session.json', { schema: { querystring: NoQuery } }, async (_req, reply) => {
    const doc = exportSession(session, Date.now());
    return reply
      .header('content-disposition', `attachment; filename="${sessionFileName(doc.exportedAt, 'json')}"`)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(doc));
  });
  app.get('/api/session.csv', { schema: { querystring: NoQuery } }, async (_req, reply) => {
    const doc = exportSession(session, Date.now());
    return reply
      .header('content-disposition', `attachment; filename="${sessionFileName(doc.exportedAt, 'csv')}"`)
      .type('text/csv; charset=utf-8')
      .send(sessionCsv(doc.events));
  });
};
