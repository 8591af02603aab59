// When the chart draws, and what it shows meanwhile: hooks that keep recharts' synchronous redraws rare
// under a live stream (see reads-chart.tsx).
import { startTransition, useEffect, useState } from 'react';
import type { Connection } from '../../shared/connections.ts';
import { growingTop } from './chart-paths.ts';

/** How far ahead a growing axis leaves room for, at the data's rate so far. */
const AXIS_LOOKAHEAD_MS = 3000;

/**
 * The top of an axis while its data grows: a 1-2-5 step with room for what the data's rate since the last
 * step would add in AXIS_LOOKAHEAD_MS, so that a steady stream moves its axes every few seconds, not at
 * every redraw (each move is a synchronous redraw of the whole chart in recharts). `key`: whose data.
 */
export function useGrowingTop(value: number, key: unknown): number {
  const [step, setStep] = useState(() => ({ key, top: growingTop(value), value, at: performance.now() }));
  if (step.key === key && value <= step.top) return step.top;
  const now = performance.now();
  const rate = step.key === key ? Math.max(0, (value - step.value) / Math.max(1, now - step.at)) : 0;
  const next = { key, top: growingTop(value + rate * AXIS_LOOKAHEAD_MS), value, at: now };
  // Stored during render (React renders this component again at once, before committing).
  setStep(next);
  return next.top;
}

/**
 * The chart's connection, taken up a task after the rest of the page when it changes: a new stream's first
 * view is the page's busiest (the list, the ribbon and the log take the connection up too), and the chart's
 * redraw, which recharts does in one pass, then gets a task of its own.
 */
export function useSubjectAfterPage(conn: Connection | null): Connection | null {
  const [shown, setShown] = useState(conn);
  const id = conn?.id ?? null;
  const sameSubject = id === (shown?.id ?? null);
  // The same connection with newer counters: shown as they are (stored during render, as React allows).
  if (sameSubject && conn !== shown) setShown(conn);
  useEffect(() => {
    if (sameSubject) return;
    const timer = setTimeout(() => startTransition(() => setShown(conn)), 0);
    return () => clearTimeout(timer);
  }, [sameSubject, conn]);
  return sameSubject ? conn : shown;
}

/** `value`, or while `frozen` the value it had when it was last not frozen. */
export function useFrozen<T>(value: T, frozen: boolean): T {
  const [kept, setKept] = useState(value);
  // Stored during render (React renders this component again at once, before committing).
  if (!frozen && kept !== value) setKept(value);
  return frozen ? kept : value;
}

/** Whether `value` has stayed the same for `ms` (true from the start, false from a change until then). */
export function useSettled(value: unknown, ms: number): boolean {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled === value;
}
