import { describe, expect, it } from 'vitest';
import type { TcpEvent } from '../../shared/events.ts';
import { applyFilter, filterStore } from './filter-store.ts';

const read = (seq: number, length: number): TcpEvent => ({ seq, t: 0, connId: 1, kind: 'read', offset: 0, length, hex: '', truncated: false });
const events = [read(1, 7), read(2, 21)];

describe('filter store', () => {
  it('applies a good filter, keeps the last good one while the text has an error, and clears', () => {
    filterStore.setText('length < 10');
    expect(applyFilter(filterStore.get(), events).map((e) => e.seq)).toEqual([1]);
    filterStore.setText('length < ');
    expect(filterStore.get().error?.message).toBe("'length' takes a number, found 'end of filter' at 10");
    expect(applyFilter(filterStore.get(), events).map((e) => e.seq)).toEqual([1]);
    filterStore.setText('');
    expect(filterStore.get().error).toBeNull();
    expect(applyFilter(filterStore.get(), events)).toBe(events); // the same array: memoised views stay put
  });

  it('tells its subscribers of every change', () => {
    let calls = 0;
    const off = filterStore.subscribe(() => calls++);
    filterStore.setHidePureAcks(true);
    filterStore.setHidePureAcks(false);
    off();
    filterStore.setText('kind == read');
    expect(calls).toBe(2);
    filterStore.setText('');
  });
});
