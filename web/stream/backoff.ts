// How long to wait before the next reconnect. Doubling keeps a dead server from being hammered;
// the jitter keeps many open tabs from reconnecting in lockstep after a restart.

export const BACKOFF_FIRST_MS = 200;
export const BACKOFF_MAX_MS = 5_000;

/** `attempt` counts failed tries since the last good connection, from 0. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** Math.min(attempt, 16));
  return Math.round(base * (0.75 + 0.5 * random()));
}
