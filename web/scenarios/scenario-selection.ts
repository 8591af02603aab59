// Which connection a finished scenario shows: the first it made, the one its caption speaks of first
// ("the first client…"); with two, the second goes beside it for comparison (Nagle off against on).
export interface ScenarioSelection {
  pinned: number | null;
  compare: number | null;
}

export function scenarioSelection(connIds: readonly number[]): ScenarioSelection {
  return { pinned: connIds[0] ?? null, compare: connIds.length === 2 ? connIds[1]! : null };
}
