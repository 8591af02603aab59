// Why a connection ended, in the words the UI uses. A reset is the tutorial's classic: the client
// closed with replies unread, so its kernel answered our data with RST.
import type { CloseReason } from '../../shared/events.ts';

export function closeReasonOf(err: NodeJS.ErrnoException): { reason: CloseReason; code: string | null } {
  const code = typeof err.code === 'string' ? err.code : null;
  if (code === 'ECONNRESET' || code === 'EPIPE') return { reason: 'reset', code };
  return { reason: 'error', code: code ?? err.name };
}
