// Where a session file comes from: a file the user dropped or picked, or an address in `?session=`.
// Either way the size is checked before the text is read, and the text goes through parseSession.
import { parseSession, sessionSizeProblem, type SessionParse } from '../../shared/session.ts';

export async function readSessionFile(file: File): Promise<SessionParse> {
  const size = sessionSizeProblem(file.size);
  if (size !== null) return { ok: false, reason: size };
  try {
    return parseSession(await file.text());
  } catch (err) {
    return { ok: false, reason: `the file cannot be read (${(err as Error).message})` };
  }
}

export async function fetchSession(url: string): Promise<SessionParse> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin' });
  } catch {
    return { ok: false, reason: `${url} cannot be reached` };
  }
  if (!res.ok) return { ok: false, reason: `${url} answered ${res.status} ${res.statusText}`.trim() };
  const announced = Number(res.headers.get('content-length'));
  const size = Number.isFinite(announced) ? sessionSizeProblem(announced) : null;
  if (size !== null) return { ok: false, reason: size };
  return parseSession(await res.text());
}

/** Saves text as a file through the browser's download, as if it came from the server. */
export function saveText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
