import { describe, expect, it } from 'vitest';
import { scenarioSelection } from './scenario-selection.ts';

describe('scenarioSelection', () => {
  it('shows the first connection, and the second beside it when there are two', () => {
    expect(scenarioSelection([11, 12])).toEqual({ pinned: 11, compare: 12 });
    expect(scenarioSelection([5])).toEqual({ pinned: 5, compare: null });
    expect(scenarioSelection([])).toEqual({ pinned: null, compare: null });
  });
});
