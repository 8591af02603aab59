// Controls that change the live server or make it open connections, fenced off while the page replays a
// session file: a disabled <fieldset> disables every button, input and select inside it natively,
// whatever component drew them, and the reason is said once, in words, next to them. (web/api.ts also
// refuses every such request while a replay runs, for any control outside a fence.)
import { useId, type ReactNode } from 'react';
import { useStoreView } from '../stream/event-store.ts';
import './live-only.css';

export const REPLAY_REASON = 'replaying a session — Back to live to send';

export function LiveOnly({ children, label }: { children: ReactNode; label: string }) {
  const replaying = useStoreView().link === 'replay';
  const reasonId = useId();
  return (
    <fieldset className="live-only" disabled={replaying} aria-label={label} aria-describedby={replaying ? reasonId : undefined} data-testid="live-only">
      {children}
      {replaying && (
        <span id={reasonId} className="live-only-reason" data-testid="live-only-reason">
          {REPLAY_REASON}
        </span>
      )}
    </fieldset>
  );
}
