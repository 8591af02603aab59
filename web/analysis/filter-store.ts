// The display filter the page applies, shared by the event log and the packet list: one small store
// outside React (read with useSyncExternalStore), so the two views need no prop threaded through the app.
import { useMemo, useSyncExternalStore } from 'react';
import type { TcpEvent } from '../../shared/events.ts';
import { evaluate, isPureAck, parseFilter, type FilterAst, type FilterError } from './display-filter.ts';

export interface FilterState {
  text: string;
  /** The last filter that parsed: what the views apply while the text has an error. */
  ast: FilterAst | null;
  error: FilterError | null;
  hidePureAcks: boolean;
}

let state: FilterState = { text: '', ast: null, error: null, hidePureAcks: false };
const listeners = new Set<() => void>();

function set(next: FilterState): void {
  state = next;
  for (const l of listeners) l();
}

export const filterStore = {
  get: (): FilterState => state,
  subscribe(l: () => void): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  setText(text: string): void {
    const r = parseFilter(text);
    set(r.ok ? { ...state, text, ast: r.ast, error: null } : { ...state, text, error: r.error });
  },
  setHidePureAcks(hidePureAcks: boolean): void {
    set({ ...state, hidePureAcks });
  },
};

export function useFilterState(): FilterState {
  return useSyncExternalStore(filterStore.subscribe, filterStore.get);
}

/** Whether an item passes the page's filter. */
export function passes(f: FilterState, e: TcpEvent): boolean {
  if (f.hidePureAcks && isPureAck(e)) return false;
  return evaluate(f.ast, e);
}

/** The items that pass, the same array when nothing filters (so memoised views stay put). */
export function applyFilter<T extends TcpEvent>(f: FilterState, items: T[]): T[] {
  if (f.ast === null && !f.hidePureAcks) return items;
  return items.filter((e) => passes(f, e));
}

/** A hook for a view's list: the filtered items, recomputed when the list or the filter changes. */
export function useDisplayFiltered<T extends TcpEvent>(items: T[]): T[] {
  const f = useFilterState();
  return useMemo(() => applyFilter(f, items), [f, items]);
}
