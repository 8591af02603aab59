// The access token: made, compared and carried. It never travels in a cookie: browsers send cookies to
// every port of a host, so a cookie would hand it to any other local server. The page keeps it itself
// (web/page-token.ts) and sends `Authorization: Bearer T` on its requests and, for the WebSocket, which
// cannot carry headers from a browser, a subprotocol `tcpscope.token.T` beside the plain `tcpscope`.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 192 random bits as 32 URL- and header-safe characters. */
export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/**
 * Constant-time. Both sides are hashed first: timingSafeEqual needs equal lengths, and comparing the
 * raw lengths would tell a prober how long the token is.
 */
export function tokenMatches(candidate: string | null, token: string): boolean {
  if (candidate === null) return false;
  return timingSafeEqual(digest(candidate), digest(token));
}

/** The token of an `Authorization: Bearer T` header; the scheme is case-insensitive, the token is not. */
export function bearerToken(authorization: string | undefined): string | null {
  const m = authorization === undefined ? null : /^bearer +(\S+) *$/i.exec(authorization);
  return m ? m[1]! : null;
}

/** The subprotocol the live stream speaks, and the only one the server ever answers with. */
export const LIVE_PROTOCOL = 'tcpscope';
/** A browser's WebSocket cannot send headers: the token rides as one more offered subprotocol. */
export const TOKEN_PROTOCOL_PREFIX = 'tcpscope.token.';

/**
 * The token offered as `tcpscope.token.T` in a `Sec-WebSocket-Protocol` header, or null when there is
 * none. Two offered tokens are none: a request has one identity.
 */
export function protocolToken(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  const offered = (Array.isArray(header) ? header.join(',') : header).split(',').map((p) => p.trim());
  const tokens = offered.filter((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX));
  return tokens.length === 1 ? tokens[0]!.slice(TOKEN_PROTOCOL_PREFIX.length) : null;
}

/**
 * `ws`'s handleProtocols: answers with the plain protocol, never with the token one (the answer is
 * visible to anything that sees the response). A client that did not offer the plain one gets none,
 * which a browser treats as a failed upgrade.
 */
export function selectLiveProtocol(offered: Set<string>): string | false {
  return offered.has(LIVE_PROTOCOL) ? LIVE_PROTOCOL : false;
}
