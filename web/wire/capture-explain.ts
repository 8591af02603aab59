// The capture's state in a line a person can act on: on, or off with exactly why and the command that
// turns it on. The server's reason already names the command between backticks.
import { NO_CAPTURE_REASON, type CaptureState } from '../../shared/wire.ts';

export interface CaptureExplanation {
  tone: 'ok' | 'off' | 'waiting' | 'unknown';
  headline: string;
  /** The command that turns capture on, when there is one to give. */
  command: string | null;
  /** What still works without it. */
  note: string | null;
}

const STILL_WORKS = 'Reads, writes and the kernel’s socket state (ss) are shown without it.';

export function explainCapture(state: CaptureState | null): CaptureExplanation {
  if (state === null) {
    return { tone: 'unknown', headline: 'Capture state not known yet', command: null, note: null };
  }
  if (state.active) {
    // Frame counts are left out: the page hears of the state when it changes, not with every frame.
    // With watches, the filter covers their ports too (the echo port comes first in `ports`).
    const watched = (state.ports ?? []).slice(1);
    const where = watched.length === 0 ? 'the echo port' : `the echo port and the watched port${watched.length > 1 ? 's' : ''} ${watched.map((p) => `:${p}`).join(', ')}`;
    return { tone: 'ok', headline: `Capturing: tcpdump sees every segment to and from ${where}`, command: null, note: null };
  }
  const reason = state.reason ?? 'capture is off';
  if (reason === NO_CAPTURE_REASON) {
    return { tone: 'off', headline: 'Capture is off: tcpscope was started with --no-capture', command: 'npm start', note: STILL_WORKS };
  }
  if (/^waiting for /.test(reason) || /restarting in /.test(reason)) {
    return { tone: 'waiting', headline: `Capture is starting: ${reason}`, command: null, note: null };
  }
  const commands = [...reason.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
  const why = reason
    .replace(/:?\s*run `[^`]+`/g, '')
    .replace(/\s+or start tcpscope as root/, '')
    .trim();
  const command = commands.length > 0 ? commands.join(' && ') : null;
  const asRoot = /start tcpscope as root/.test(reason);
  const then = command === null ? '' : asRoot ? 'Run it once (or start tcpscope as root), then restart tcpscope. ' : 'Run it, then restart tcpscope. ';
  return { tone: 'off', headline: `Capture is off: ${why}`, command, note: then + STILL_WORKS };
}
