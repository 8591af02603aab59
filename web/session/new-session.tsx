// "New session": the server forgets its events and closed connections (POST /api/session/reset), so that an
// export afterwards holds only what follows. It empties the view of every page watching, so it asks first;
// open connections stay, with their counters. Live only: a replay changes nothing on the server.
import { useEffect, useRef, useState } from 'react';
import type { SessionReset } from '../../shared/session-reset.ts';
import { api } from '../api.ts';
import { useCommand } from '../controls/notice.tsx';
import { useStoreView } from '../stream/event-store.ts';
import { REPLAY_REASON } from './live-only.tsx';

export function NewSession() {
  const command = useCommand();
  const replaying = useStoreView().link === 'replay';
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<SessionReset | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);

  const cancel = () => {
    setAsking(false);
    openerRef.current?.focus();
  };

  const confirm = async () => {
    setBusy(true);
    const result = await command('New session', () => api.resetSession());
    setBusy(false);
    setAsking(false);
    if (result !== undefined) setDone(result);
    openerRef.current?.focus();
  };

  return (
    <>
      <button
        ref={openerRef}
        type="button"
        data-testid="new-session"
        aria-expanded={asking}
        disabled={replaying || busy}
        title={replaying ? REPLAY_REASON : 'Clear the server’s events and closed connections and start a new session'}
        onClick={() => {
          setDone(null);
          setAsking(true);
        }}
      >
        New session…
      </button>
      {asking && (
        <span
          className="new-session-confirm"
          role="group"
          aria-label="Confirm new session"
          data-testid="new-session-confirm"
          onKeyDown={(e) => {
            if (e.key === 'Escape') cancel();
          }}
        >
          <span>Clear every event and closed connection on the server, for every page watching? Open connections stay.</span>
          <button ref={confirmRef} type="button" className="warn" data-testid="new-session-yes" disabled={busy} onClick={() => void confirm()}>
            Clear and start over
          </button>
          <button type="button" data-testid="new-session-no" onClick={cancel}>
            Cancel
          </button>
        </span>
      )}
      {done && !asking && (
        <span className="muted new-session-done" role="status" data-testid="new-session-done">
          New session: {plural(done.eventsCleared, 'event')} and {plural(done.connectionsCleared, 'closed connection')} cleared
          {done.connectionsKept > 0 ? `; ${plural(done.connectionsKept, 'open connection')} kept` : ''}.
        </span>
      )}
    </>
  );
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;
}
