// The first thing every request meets, WebSocket upgrades included: is it addressed to us (Host), does
// it come from our own pages if it may change something (Origin), and does it carry the token when one
// is set. Checked in that order, so a rebinding or cross-site page learns nothing about the token.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AccessTokenSchema } from '../../shared/security.ts';
import { bearerToken, cookieNameFor, cookieValue, tokenCookie, tokenMatches } from './access-token.ts';
import { isAllowedHost } from './host-check.ts';
import { isOwnOrigin, needsOriginCheck } from './origin-check.ts';
import { isApiPath, pathOf, refuse } from './refuse.ts';
import { TOKEN_REQUIRED_PAGE, TOKEN_WRONG_PAGE } from './token-required-page.ts';

export interface RequestGuardOptions {
  allowedHosts: ReadonlySet<string>;
  /** null: no token is needed (loopback without --token). */
  token: string | null;
  /** The port we listen on, known only once listening: it names the cookie. */
  port(): number;
}

export function useRequestGuard(app: FastifyInstance, options: RequestGuardOptions): void {
  const { allowedHosts, token } = options;
  app.addHook('onRequest', (request, reply, done) => {
    const { host, origin } = request.headers;
    if (!isAllowedHost(host, allowedHosts)) {
      refuse(
        reply,
        421,
        `host: ${JSON.stringify(host ?? '')} is not a name this server answers to; start it with --allow-host NAME to add one`,
      );
      return;
    }
    if (needsOriginCheck(request.method, request.headers) && !isOwnOrigin(origin, host)) {
      refuse(reply, 403, `origin: ${JSON.stringify(origin)} may not change this server or open its live stream; only its own pages may`);
      return;
    }
    if (token === null) {
      done();
      return;
    }
    const path = pathOf(request.url);
    const cookieName = cookieNameFor(options.port());
    const offered = path === '/' && request.method === 'GET' ? offeredInQuery(request) : undefined;
    if (offered !== undefined) {
      signIn(reply, offered, token, cookieName);
      return;
    }
    const headers = request.headers;
    if (tokenMatches(bearerToken(headers.authorization), token) || tokenMatches(cookieValue(headers.cookie, cookieName), token)) {
      done();
      return;
    }
    if (isApiPath(path)) {
      reply.header('www-authenticate', 'Bearer realm="tcpscope"');
      refuse(reply, 401, 'token: this server needs its access token (Authorization: Bearer TOKEN, or open the address tcpscope printed)');
      return;
    }
    sendPage(reply, TOKEN_REQUIRED_PAGE);
  });
}

/** The `token` of `/?token=T`, if the URL has one (a repeated parameter counts as its first value). */
function offeredInQuery(request: FastifyRequest): string | undefined {
  const q = request.url.indexOf('?');
  if (q < 0) return undefined;
  return new URLSearchParams(request.url.slice(q + 1)).get('token') ?? undefined;
}

/** Trades a right token in the URL for the cookie, then drops it from the address bar with a redirect. */
function signIn(reply: FastifyReply, offered: string, token: string, cookieName: string): void {
  const parsed = AccessTokenSchema.safeParse(offered);
  if (!parsed.success || !tokenMatches(parsed.data, token)) {
    sendPage(reply, TOKEN_WRONG_PAGE);
    return;
  }
  reply.code(302).header('set-cookie', tokenCookie(cookieName, token)).header('location', '/').header('cache-control', 'no-store').send();
}

function sendPage(reply: FastifyReply, html: string): void {
  reply.code(401).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
}
