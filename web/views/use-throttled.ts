// A value that follows its source at most once per interval, and always ends on the latest one: for
// views whose redraw costs more than a frame while their data changes every frame.
import { startTransition, useEffect, useState } from 'react';

interface Shown<T> {
  value: T;
  key: unknown;
  at: number;
}

/**
 * `value` itself when `intervalMs` is 0, when `key` changed (another subject, shown at once) or when the
 * last change shown is older than the interval; otherwise the previous value until the interval is up.
 */
export function useThrottled<T>(value: T, intervalMs: number, key: unknown = null): T {
  const [shown, setShown] = useState<Shown<T>>(() => ({ value, key, at: 0 }));
  let current = shown;
  if (value !== shown.value) {
    const now = performance.now();
    if (intervalMs <= 0 || key !== shown.key || now - shown.at >= intervalMs) {
      current = { value, key, at: now };
      // Storing what the previous render showed: React re-runs this component at once, before committing.
      setShown(current);
    }
  }
  useEffect(() => {
    if (current.value === value) return;
    // In a transition, like the store's own views: an update from a timer is otherwise rendered in one
    // blocking pass, and a chart's redraw under full-rate traffic was the page's longest task.
    const timer = setTimeout(() => startTransition(() => setShown({ value, key, at: performance.now() })), Math.max(0, current.at + intervalMs - performance.now()));
    return () => clearTimeout(timer);
  }, [current, value, key, intervalMs]);
  return current.value;
}
