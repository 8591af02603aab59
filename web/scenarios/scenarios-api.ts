// The scenario routes. Errors carry the server's message (it names what is wrong), ready to show.
import { type ScenarioName, type ScenarioRun } from '../../shared/scenarios.ts';
import { apiFetch, ApiRequestError, reportUnauthorized } from '../api.ts';

export async function runScenario(name: ScenarioName): Promise<ScenarioRun> {
  let res: Response;
  try {
    res = await apiFetch(`/api/scenarios/${encodeURIComponent(name)}`, { method: 'POST' });
  } catch (err) {
    if (err instanceof ApiRequestError) throw err;
    throw new Error('The server cannot be reached.');
  }
  if (res.status === 401) reportUnauthorized();
  const body = (await res.json().catch(() => null)) as (ScenarioRun & { message?: string }) | null;
  if (!res.ok) throw new Error(body?.message ?? `${res.status} ${res.statusText}`);
  return body!;
}
