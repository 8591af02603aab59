// Runs a guided scenario: sets its config, sends its bursts one after another and waits for each
// connection to close, so that the answer comes when there is everything to look at. One scenario at a
// time: two at once would fight over the config.
import { BurstRequestSchema } from '../../shared/api.ts';
import { type ScenarioName, type ScenarioRun, scenarioInfo } from '../../shared/scenarios.ts';
import type { BurstClient } from '../client/burst-client.ts';
import type { ConfigStore } from '../config/config-store.ts';
import type { ConnectionState } from '../echo/connection-state.ts';
import { SCENARIO_PLANS } from './catalogue.ts';

/** A connection that has not closed by then is left as it is (the server paused meanwhile, say), and the run goes on. */
const CLOSE_WAIT_MS = 10_000;

export class ScenarioBusyError extends Error {
  readonly statusCode = 409;
  constructor(running: ScenarioName) {
    super(`scenario ${running} is still running; try again when it has finished`);
  }
}

export class ScenarioRunner {
  private running: ScenarioName | null = null;

  constructor(private readonly deps: { config: ConfigStore; client: BurstClient }) {}

  get current(): ScenarioName | null {
    return this.running;
  }

  async run(name: ScenarioName): Promise<ScenarioRun> {
    if (this.running !== null) throw new ScenarioBusyError(this.running);
    this.running = name;
    try {
      const plan = SCENARIO_PLANS[name];
      this.deps.config.apply(plan.config);
      const connIds: number[] = [];
      for (const burst of plan.bursts) {
        const conn = await this.deps.client.start(BurstRequestSchema.parse(burst));
        connIds.push(conn.id);
        await closed(conn);
      }
      return { ...scenarioInfo(name), connIds };
    } finally {
      this.running = null;
    }
  }
}

function closed(conn: ConnectionState): Promise<void> {
  if (conn.state === 'closed') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, CLOSE_WAIT_MS);
    // The echo server's own close listener ran first: the connection is recorded as closed by now.
    conn.socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
