import type { FastifyPluginAsync } from 'fastify';
import type { ConnectionRegistry } from '../echo/connection-registry.ts';

/** GET /api/connections: the open connections and the last closed ones, with exact counters. */
export const connectionsRoute: FastifyPluginAsync<{ registry: ConnectionRegistry }> = async (app, { registry }) => {
  app.get('/api/connections', async () => registry.list());
};
