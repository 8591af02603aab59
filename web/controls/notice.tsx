// One place where the outcome of a command is told: the server's error message when it refused,
// nothing when it agreed (the change itself is visible on the page).
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';

interface Notice {
  text: string;
  at: number;
}

const NoticeContext = createContext<{ notice: Notice | null; set: (n: Notice | null) => void }>({
  notice: null,
  set: () => {},
});

export function NoticeProvider({ children }: { children: ReactNode }) {
  const [notice, set] = useState<Notice | null>(null);
  return <NoticeContext.Provider value={{ notice, set }}>{children}</NoticeContext.Provider>;
}

/** Runs a command; on failure shows "<what>: <server's message>" and resolves to undefined. */
export function useCommand() {
  const { set } = useContext(NoticeContext);
  return useCallback(
    async <T,>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
      try {
        const result = await fn();
        set(null);
        return result;
      } catch (err) {
        set({ text: `${what}: ${err instanceof Error ? err.message : String(err)}`, at: Date.now() });
        return undefined;
      }
    },
    [set],
  );
}

export function NoticeBar() {
  const { notice, set } = useContext(NoticeContext);
  if (notice === null) return null;
  return (
    <div className="notice" role="alert" data-testid="notice">
      <span>{notice.text}</span>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => set(null)}>
        ×
      </button>
    </div>
  );
}
