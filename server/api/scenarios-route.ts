import type { FastifyPluginAsync } from 'fastify';
import { SCENARIOS, type ScenarioName, ScenarioParamsSchema } from '../../shared/scenarios.ts';
import type { ScenarioRunner } from '../scenarios/scenario-runner.ts';

/** GET /api/scenarios: {name, title, caption} of each. POST /api/scenarios/:name runs one and answers once its traffic is done. */
export const scenariosRoute: FastifyPluginAsync<{ scenarios: ScenarioRunner }> = async (app, { scenarios }) => {
  app.get('/api/scenarios', async () => SCENARIOS.map(({ name, title, caption }) => ({ name, title, caption })));
  app.post<{ Params: { name: ScenarioName } }>('/api/scenarios/:name', { schema: { params: ScenarioParamsSchema } }, async (req) =>
    scenarios.run(req.params.name),
  );
};
