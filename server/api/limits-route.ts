import type { FastifyPluginAsync } from 'fastify';
import type { LimitStatus } from '../../shared/security.ts';
import type { SecurityState } from '../security/use-security.ts';

/** GET /api/limits: the limits in force and how often each has refused something. */
export const limitsRoute: FastifyPluginAsync<{ security: SecurityState }> = async (app, { security }) => {
  app.get('/api/limits', async (): Promise<LimitStatus> => ({
    limits: security.limits,
    refused: security.refusals.snapshot(),
    tokenRequired: security.token !== null,
  }));
};
