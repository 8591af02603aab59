import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { type BurstRequest, BurstRequestSchema } from '../../shared/api.ts';
import type { BurstClient } from '../client/burst-client.ts';

// An empty body means "the defaults": the tutorial's three writes.
const BodySchema = z.preprocess((v) => v ?? {}, BurstRequestSchema);

/** POST /api/bursts: the built-in client opens a connection and writes; 202 with its id. */
export const burstsRoute: FastifyPluginAsync<{ client: BurstClient }> = async (app, { client }) => {
  app.post<{ Body: BurstRequest }>('/api/bursts', { schema: { body: BodySchema } }, async (req, reply) => {
    const conn = await client.start(req.body);
    return reply.code(202).send({ connId: conn.id });
  });
};
