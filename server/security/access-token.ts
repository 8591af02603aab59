// The access token: made, compared and carried. A browser gets it once through the printed URL
// (`/?token=T`), which trades it for an HttpOnly, SameSite=Strict cookie: page scripts cannot read it
// and other sites' requests do not carry it. Scripts send `Authorization: Bearer T`.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 192 random bits as 32 URL- and cookie-safe characters. */
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

/** The token of an `Authorization: Bearer T` header; the scheme is case-insensitive. */
export function bearerToken(authorization: string | undefined): string | null {
  const m = authorization === undefined ? null : /^bearer +(\S+) *$/i.exec(authorization);
  return m ? m[1]! : null;
}

/** The value of cookie `name` in a Cookie header, or null. */
export function cookieValue(cookieHeader: string | undefined, name: string): string | null {
  if (cookieHeader === undefined) return null;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** Cookies ignore ports: one name per port lets two servers on one machine keep their own token. */
export function cookieNameFor(port: number): string {
  return `tcpscope_token_${port}`;
}

/** A session cookie: no Secure flag, since the server speaks plain HTTP. */
export function tokenCookie(name: string, token: string): string {
  return `${name}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}
