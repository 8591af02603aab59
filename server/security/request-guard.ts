// The first thing every request meets, WebSocket upgrades included: is it addressed to us (Host), does
// it come from our own pages if it may change something (Origin), and does it carry the token when one
// is set. Checked in that order, so a rebinding or cross-site page learns nothing about the token.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bearerToken, protocolToken, tokenMatches } from './access-token.ts';
import { isAllowedHost } from './host-check.ts';
import { isOwnOrigin, needsOriginCheck } from './origin-check.ts';
import { isApiPath, pathOf, refuse } from './refuse.ts';

export interface RequestGuardOptions {
  allowedHosts: ReadonlySet<string>;
  /** null: no token is needed (loopback without --token). */
  token: string | null;
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
    if (token === null || !needsToken(request) || tokenOffered(request, token)) {
      done();
      return;
    }
    reply.header('www-authenticate', 'Bearer realm="tcpscope"');
    refuse(reply, 401, 'token: this server needs its access token (Authorization: Bearer TOKEN, or open the address tcpscope printed)');
  });
}

/**
 * The page and its files hold no data: a browser loads them without the token, then the page sends it on
 * its own requests. Everything else needs it. Decided by the route the request matched, not by its path
 * text, since the router decodes (`/%61pi/config` is `/api/config`) and routes absolute-form targets
 * (`GET http://host/api/config`) by their path: only an origin-form GET or HEAD that landed on a
 * page route goes without.
 */
function needsToken(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return true;
  if (!request.url.startsWith('/') || request.url.startsWith('//')) return true;
  const route = request.routeOptions.url;
  return route === undefined || isApiPath(route) || isApiPath(pathOf(request.url));
}

/**
 * `Authorization: Bearer T` on any request; on the live stream's upgrade also the subprotocol
 * `tcpscope.token.T`, since a browser cannot set headers on a WebSocket. Never a query parameter or a
 * cookie: those leak into logs, histories and other ports.
 */
function tokenOffered(request: FastifyRequest, token: string): boolean {
  const headers = request.headers;
  if (tokenMatches(bearerToken(headers.authorization), token)) return true;
  return request.routeOptions.url === '/ws' && tokenMatches(protocolToken(headers['sec-websocket-protocol']), token);
}
