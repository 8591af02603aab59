import type { FastifyPluginAsync } from 'fastify';
import { type EventsQuery, EventsQuerySchema } from '../../shared/api.ts';
import type { EventKind } from '../../shared/events.ts';
import { EVENT_HEX_MAX_BYTES } from '../../shared/limits.ts';
import type { EventStore } from '../events/event-store.ts';
import { type StoredEvent, toWire } from '../events/stored-event.ts';
import { jsonArrayStream } from './json-stream.ts';
import type { ResponseBudget } from './response-budget.ts';

/** What one queried event holds while its answer streams: its copied bytes and the object around them. */
const EVENT_OVERHEAD_BYTES = 256;
const heldBy = (e: StoredEvent) => EVENT_OVERHEAD_BYTES + ('bytes' in e ? e.bytes.length : 0);

/**
 * GET /api/events?kind=&connId=&limit=: stored events, oldest first, with full (capped) hex. The events are
 * copied out of the store at once (the ring moves on), and their hex is written as the client reads.
 */
export const eventsRoute: FastifyPluginAsync<{ store: EventStore; budget: ResponseBudget }> = async (app, { store, budget }) => {
  app.get<{ Querystring: EventsQuery }>('/api/events', { schema: { querystring: EventsQuerySchema } }, async (req, reply) => {
    const { kind, connId, limit } = req.query;
    const most = Math.min(limit, store.length) * (EVENT_HEX_MAX_BYTES + EVENT_OVERHEAD_BYTES);
    const held = budget.admit(reply, most, 'events');
    if (held === null) return reply;
    const events = store.query({ kind: kind as EventKind | undefined, connId, limit });
    let bytes = 0;
    for (const e of events) bytes += heldBy(e);
    held.settle(bytes);
    return reply.type('application/json; charset=utf-8').send(jsonArrayStream(events, (e) => toWire(e, EVENT_HEX_MAX_BYTES)));
  });
};
