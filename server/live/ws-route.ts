import type { FastifyPluginAsync } from 'fastify';
import type {} from '@fastify/websocket'; // route option types
import type { LiveHub } from './live-hub.ts';

/** WebSocket /ws: a snapshot on connect, then batches (shared/live.ts). */
export const wsRoute: FastifyPluginAsync<{ hub: LiveHub }> = async (app, { hub }) => {
  app.get('/ws', { websocket: true }, (socket) => hub.add(socket));
};
