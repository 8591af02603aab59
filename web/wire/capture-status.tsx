// One line on the capture: on, or off with exactly why and the command that turns it on.
import type { CaptureState } from '../../shared/wire.ts';
import { explainCapture } from './capture-explain.ts';

export function CaptureStatus({ state }: { state: CaptureState | null }) {
  const e = explainCapture(state);
  return (
    <div className={`capture-status tone-${e.tone}`} data-testid="capture-status" data-active={state?.active ?? false} role="status">
      <i aria-hidden="true" />
      <span className="capture-headline">{e.headline}</span>
      {e.command !== null && (
        <code className="capture-command" title="Run this in a shell on the machine tcpscope runs on">
          {e.command}
        </code>
      )}
      {e.note !== null && <span className="muted capture-note">{e.note}</span>}
    </div>
  );
}
