// Where a session file comes from: a file the user dropped or picked, or an address in `?session=`.
// Either way the size is checked before the text is read, and the text goes through parseSession.
import { parseSession, sessionSizeProblem, type SessionParse } from '../../shared/session.ts';
import { apiFetch, saveBlob } from '../api.ts';

export async function readSessionFile(file: File): Promise<SessionParse> {
  const size = sessionSizeProblem(file.size);
  if (size !== null) return { ok: false, reason: size };
  try {
    return parseSession(await file.text());
  } catch (err) {
    return { ok: false, reason: `the file cannot be read (${(err as Error).message})` };
  }
}

/**
 * A session from `?session=URL`. Only from the page's own origin: its CSP (connect-src 'self') would
 * block any other, so another origin is refused here first, with what to do instead. Same-origin
 * requests carry the page's token, so that `?session=/api/session.json` works on a server with one.
 */
export async function fetchSession(url: string, page: Location = location): Promise<SessionParse> {
  const problem = sessionUrlProblem(url, page);
  if (problem !== null) return { ok: false, reason: problem };
  let res: Response;
  try {
    res = await apiFetch(url, { credentials: 'same-origin' });
  } catch {
    return { ok: false, reason: `${url} cannot be reached` };
  }
  if (!res.ok) return { ok: false, reason: `${url} answered ${res.status} ${res.statusText}`.trim() };
  const announced = Number(res.headers.get('content-length'));
  const size = Number.isFinite(announced) ? sessionSizeProblem(announced) : null;
  if (size !== null) return { ok: false, reason: size };
  return parseSession(await res.text());
}

/** Why `url` cannot be fetched by this page, or null when it can (same origin, http or https). */
export function sessionUrlProblem(url: string, page: Pick<Location, 'href' | 'origin'>): string | null {
  let target: URL;
  try {
    target = new URL(url, page.href);
  } catch {
    return `${url} is not an address`;
  }
  if (target.origin === page.origin) return null;
  return (
    `${url} is on another origin (${target.origin}), and this page may only fetch from its own (${page.origin}). ` +
    'Serve the file from the same place as the page, or download it and open it with Open… or drop it on the page'
  );
}

/** Saves text as a file through the browser's download, as if it came from the server. */
export function saveText(text: string, fileName: string, type: string): void {
  saveBlob(new Blob([text], { type }), fileName);
}
