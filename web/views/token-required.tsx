// What the page shows instead of the dashboard once the server has said it needs the access token this
// tab does not have (or has a wrong one of: the server restarted with a new token, say). The token comes
// from the address tcpscope printed, or is pasted here; either way the page keeps it for this tab only
// (web/page-token.ts) and never puts it in a URL or a cookie.
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { AccessTokenSchema } from '../../shared/security.ts';
import { pageToken, setPageToken } from '../page-token.ts';
import { useStore, useStoreValue, type EventStore } from '../stream/event-store.ts';
import './token-required.css';

const readTokenMissing = (store: EventStore): boolean => store.getTokenMissing();

/** The dashboard, or the token screen when the server refuses this page. */
export function TokenGate({ children }: { children: ReactNode }) {
  const store = useStore();
  const missing = useStoreValue(readTokenMissing);
  return missing ? <TokenRequired retry={() => store.retryAccess()} /> : children;
}

type Attempt = { state: 'idle' } | { state: 'checking' } | { state: 'problem'; message: string };

function TokenRequired({ retry }: { retry(): Promise<boolean> }) {
  const [held] = useState(() => pageToken() !== null);
  const [value, setValue] = useState('');
  const [attempt, setAttempt] = useState<Attempt>({ state: 'idle' });
  const fieldId = useId();
  const problemId = useId();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const candidate = value.trim();
    const shape = AccessTokenSchema.safeParse(candidate);
    if (!shape.success) {
      setAttempt({ state: 'problem', message: `That is not a tcpscope token: it ${shape.error.issues[0]?.message ?? 'is not valid'}.` });
      return;
    }
    setPageToken(candidate);
    setAttempt({ state: 'checking' });
    void retry().then((ok) => {
      if (ok) return;
      setPageToken(null);
      setAttempt({ state: 'problem', message: 'The server refused that token.' });
    });
  };

  return (
    <main className="token-required" data-testid="token-required">
      <div className="token-card">
        <div className="brand">
          tcp<span>scope</span>
        </div>
        <h1>Token required</h1>
        <p role="alert">
          {held ? 'The server refused the access token this tab holds (tcpscope may have restarted with a new one). ' : 'This tcpscope needs its access token. '}
          Open the address tcpscope printed when it started (it ends in <code>/?token=…</code>), or paste the token here.
        </p>
        <form className="token-actions" onSubmit={submit}>
          <label htmlFor={fieldId}>Access token</label>
          <input
            id={fieldId}
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            aria-invalid={attempt.state === 'problem'}
            aria-describedby={attempt.state === 'problem' ? problemId : undefined}
            data-testid="token-input"
          />
          <button type="submit" className="primary" disabled={attempt.state === 'checking' || value.trim() === ''}>
            {attempt.state === 'checking' ? 'Checking…' : 'Use token'}
          </button>
        </form>
        {attempt.state === 'problem' && (
          <p id={problemId} className="warn-text" data-testid="token-problem">
            {attempt.message}
          </p>
        )}
        <p className="muted">This tab keeps the token until it is closed; other tabs and other sites never see it.</p>
      </div>
    </main>
  );
}
