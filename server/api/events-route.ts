import type { FastifyPluginAsync } from 'fastify';
import { type EventsQuery, EventsQuerySchema } from '../../shared/api.ts';
import type { EventKind } from '../../shared/events.ts';
import { EVENT_HEX_MAX_BYTES } from '../../shared/limits.ts';
import type { EventStore } from '../events/event-store.ts';
import { toWire } from '../events/stored-event.ts';

/** GET /api/events?kind=&connId=&limit=: stored events, oldest first, with full (capped) hex. */
export const eventsRoute: FastifyPluginAsync<{ store: EventStore }> = async (app, { store }) => {
  app.get<{ Querystring: EventsQuery }>('/api/events', { schema: { querystring: EventsQuerySchema } }, async (req) => {
    const { kind, connId, limit } = req.query;
    return store.query({ kind: kind as EventKind | undefined, connId, limit }).map((e) => toWire(e, EVENT_HEX_MAX_BYTES));
  });
};
