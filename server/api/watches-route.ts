import type { FastifyPluginAsync } from 'fastify';
import { type WatchRequest, WatchParamsSchema, WatchRequestSchema } from '../../shared/watch.ts';
import { type WatchManager, WatchError } from '../watch/watch-manager.ts';

/** GET/POST/DELETE /api/watches: other local servers whose reads and writes tcpscope traces. */
export const watchesRoute: FastifyPluginAsync<{ watches: WatchManager }> = async (app, { watches }) => {
  app.get('/api/watches', async () => watches.list());

  app.post<{ Body: WatchRequest }>('/api/watches', { schema: { body: WatchRequestSchema } }, async (req, reply) => {
    try {
      return reply.code(201).send(watches.add(req.body.port));
    } catch (err) {
      if (err instanceof WatchError) return reply.code(err.statusCode).send({ statusCode: err.statusCode, error: err.statusCode === 409 ? 'Conflict' : 'Bad Request', message: err.message });
      throw err;
    }
  });

  app.delete<{ Params: { port: number } }>('/api/watches/:port', { schema: { params: WatchParamsSchema } }, async (req, reply) => {
    const port = req.params.port;
    if (!(await watches.remove(port))) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `params.port: ${port} is not watched` });
    return reply.code(204).send();
  });
};
