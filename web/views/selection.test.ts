import { describe, expect, it } from 'vitest';
import type { Connection } from '../../shared/connections.ts';
import { selectedConnection } from './selection.ts';

const c = (id: number) => ({ id }) as Connection;

describe('selectedConnection', () => {
  it('follows the newest connection when nothing is pinned', () => {
    expect(selectedConnection([c(3), c(2), c(1)], null)?.id).toBe(3);
  });
  it('keeps a pinned connection even when newer ones open', () => {
    expect(selectedConnection([c(4), c(3), c(2)], 2)?.id).toBe(2);
  });
  it('falls back to the newest when the pinned one is gone', () => {
    expect(selectedConnection([c(4), c(3)], 1)?.id).toBe(4);
  });
  it('is null with no connections', () => {
    expect(selectedConnection([], null)).toBeNull();
  });
});
