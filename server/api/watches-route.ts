import type { FastifyPluginAsync } from 'fastify';
import { type WatchRequest, WatchParamsSchema, WatchRequestSchema } from '../../shared/watch.ts';
import { refuse } from '../security/refuse.ts';
import { type WatchManager, WatchError } from '../watch/watch-manager.ts';

/**
 * GET/POST/DELETE /api/watches: other local servers whose reads and writes tcpscope traces. Refusals
 * (400 naming body.port, 409 watched already, 404 not watched) go through the shared refuse(), in the
 * API's error shape like every other route's; schema errors are Fastify's, shaped by the same hooks.
 */
export const watchesRoute: FastifyPluginAsync<{ watches: WatchManager }> = async (app, { watches }) => {
  app.get('/api/watches', async () => watches.list());

  app.post<{ Body: WatchRequest }>('/api/watches', { schema: { body: WatchRequestSchema } }, async (req, reply) => {
    try {
      return reply.code(201).send(watches.add(req.body.port));
    } catch (err) {
      if (err instanceof WatchError) return refuse(reply, err.statusCode, err.message);
      throw err;
    }
  });

  app.delete<{ Params: { port: number } }>('/api/watches/:port', { schema: { params: WatchParamsSchema } }, async (req, reply) => {
    const port = req.params.port;
    if (!(await watches.remove(port))) return refuse(reply, 404, `params.port: ${port} is not watched`);
    return reply.code(204).send();
  });
};
