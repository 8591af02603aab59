// What the page shows instead of the dashboard once the server has said it needs the access token
// this browser does not have (its cookie expired with the browser session, or the server restarted
// with a new token). The token only ever arrives through the address tcpscope printed; the page never
// asks for it nor puts it in a URL itself.
import { useState, useSyncExternalStore, type ReactNode } from 'react';
import { useStore } from '../stream/event-store.ts';
import './token-required.css';

/** The dashboard, or the token screen when the server refuses this page. */
export function TokenGate({ children }: { children: ReactNode }) {
  const store = useStore();
  const missing = useSyncExternalStore(store.subscribe, store.getTokenMissing);
  return missing ? <TokenRequired retry={() => store.retryAccess()} /> : children;
}

type Retry = 'idle' | 'checking' | 'still-missing';

function TokenRequired({ retry }: { retry(): Promise<boolean> }) {
  const [state, setState] = useState<Retry>('idle');
  const checkAgain = () => {
    setState('checking');
    void retry().then((ok) => {
      if (!ok) setState('still-missing');
    });
  };
  return (
    <main className="token-required" data-testid="token-required">
      <div className="token-card" role="alert">
        <div className="brand">
          tcp<span>scope</span>
        </div>
        <h1>Token required</h1>
        <p>
          This tcpscope needs its access token. Open the address tcpscope printed when it started (it ends in{' '}
          <code>/?token=…</code>).
        </p>
        <p className="muted">Opened it in another tab of this browser already? Then check again to carry on here.</p>
        <div className="token-actions">
          <button type="button" className="primary" onClick={checkAgain} disabled={state === 'checking'}>
            {state === 'checking' ? 'Checking…' : 'Check again'}
          </button>
          {state === 'still-missing' && <span className="warn-text">Still no token in this browser.</span>}
        </div>
      </div>
    </main>
  );
}
