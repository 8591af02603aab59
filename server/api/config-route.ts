import type { FastifyPluginAsync } from 'fastify';
import { type ConfigPatch, ConfigPatchSchema } from '../../shared/config.ts';
import type { ConfigStore } from '../config/config-store.ts';

/** GET /api/config; PATCH /api/config with any subset of the fields, applied live. */
export const configRoute: FastifyPluginAsync<{ config: ConfigStore }> = async (app, { config }) => {
  app.get('/api/config', async () => config.get());
  app.patch<{ Body: ConfigPatch }>('/api/config', { schema: { body: ConfigPatchSchema } }, async (req) =>
    config.apply(req.body),
  );
};
