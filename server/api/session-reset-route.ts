import type { FastifyPluginAsync } from 'fastify';
import { SessionResetBodySchema } from '../../shared/session-reset.ts';
import { resetSession, type SessionResetDeps } from '../session/session-reset.ts';

/**
 * POST /api/session/reset: a new session (server/session/session-reset.ts). A changing method, so the
 * Host, Origin and token checks of every mutating route apply (server/security/).
 */
export const sessionResetRoute: FastifyPluginAsync<{ reset: SessionResetDeps }> = async (app, { reset }) => {
  app.post('/api/session/reset', { schema: { body: SessionResetBodySchema } }, async () => resetSession(reset));
};
