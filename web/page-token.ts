// The access token, kept by the page itself. It arrives once in the printed address (`/?token=T`) or
// pasted into the token screen, lives in this tab's sessionStorage (it survives a reload, never leaves
// the tab, and no other port's page can read it: storage is per origin), and goes out only as
// `Authorization: Bearer T` on our API calls and as a `tcpscope.token.T` subprotocol on the live socket.
// It is never a cookie: a browser sends cookies to every port of the host.
import { AccessTokenSchema } from '../shared/security.ts';

const STORAGE_KEY = 'tcpscope.token';
/** The subprotocol the live stream speaks; the token is offered beside it. */
export const LIVE_PROTOCOL = 'tcpscope';
const TOKEN_PROTOCOL_PREFIX = 'tcpscope.token.';

let token: string | null = null;

function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null; // storage disabled: the token lasts as long as the page
  }
}

/**
 * Runs before anything else reads the address: takes `?token=` out of it (history.replaceState, so the
 * token is neither in the history nor in a link the user copies) and keeps it. A malformed one is
 * dropped all the same; the server's 401 then brings up the token screen.
 */
export function adoptTokenFromAddress(loc: Location = location): void {
  token = storage()?.getItem(STORAGE_KEY) ?? null;
  const params = new URLSearchParams(loc.search);
  if (!params.has('token')) return;
  const offered = params.get('token') ?? '';
  params.delete('token');
  const search = params.toString();
  history.replaceState(history.state, '', `${loc.pathname}${search === '' ? '' : `?${search}`}${loc.hash}`);
  if (AccessTokenSchema.safeParse(offered).success) setPageToken(offered);
}

export function pageToken(): string | null {
  return token;
}

/** Keeps a token for this tab (null forgets it). */
export function setPageToken(next: string | null): void {
  token = next;
  const s = storage();
  if (next === null) s?.removeItem(STORAGE_KEY);
  else s?.setItem(STORAGE_KEY, next);
}

/** Headers for an API request: the token, when the page has one. */
export function authHeaders(): Record<string, string> {
  return token === null ? {} : { authorization: `Bearer ${token}` };
}

/** The subprotocols the live socket offers; the server always answers with the plain one. */
export function liveProtocols(): string[] {
  return token === null ? [LIVE_PROTOCOL] : [LIVE_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${token}`];
}
