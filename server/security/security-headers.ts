// Security headers on every response (the page, the API, and refusals alike), through @fastify/helmet.
// The page is one bundle from our own origin that talks to our own origin: nothing else is allowed.
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * `connect-src 'self'` covers the same-origin `ws:` of the live stream (CSP Level 3). Styles: React and
 * recharts set `style` through the DOM (CSSOM), which style-src does not govern, and the build links
 * its CSS as a file, so no 'unsafe-inline' is needed.
 */
export const CSP_DIRECTIVES = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

export async function useSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(fastifyHelmet, {
    // Helmet's defaults add upgrade-insecure-requests, which would break a plain-HTTP dashboard
    // opened by address from another machine: we list every directive ourselves.
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // HSTS over plain HTTP is ignored at best, and would pin a name to HTTPS at worst.
    strictTransportSecurity: false,
  });
}
