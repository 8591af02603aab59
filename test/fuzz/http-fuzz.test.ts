// Every HTTP route, fed arbitrary JSON, arbitrary bytes, arbitrary query strings and path parameters:
// the answer is always 2xx or 4xx, never 5xx, and a refused request leaves the config as it was.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tcpscope } from '../../server/app.ts';
import { startTestScope } from '../helpers.ts';
import { type Route, routesOf } from './routes.ts';

const RUNS = 150;

let scope: Tcpscope;
let routes: Route[];

beforeAll(async () => {
  // Limits high enough that no valid request meets one: this is about bad input, not load.
  scope = await startTestScope({ security: { limits: { maxBursts: 100_000, burstRatePerMinute: 1_000_000 } } });
  routes = routesOf(scope.app).filter((r) => r.method !== 'HEAD' && r.path !== '/ws');
});
afterAll(async () => {
  await scope.close();
});

/** Sends one request; checks the status class and, for a refusal, that the config did not move. */
async function probe(method: string, url: string, init: { body?: Uint8Array | string; contentType?: string } = {}): Promise<number> {
  const before = JSON.stringify(scope.config.get());
  const res = await fetch(scope.httpUrl + url, {
    method,
    headers: init.contentType === undefined ? {} : { 'content-type': init.contentType },
    body: typeof init.body === 'string' || init.body === undefined ? init.body : Buffer.from(init.body),
  });
  await res.arrayBuffer();
  expect(res.status, `${method} ${url}`).toBeGreaterThanOrEqual(200);
  expect(res.status, `${method} ${url}`).toBeLessThan(500);
  if (res.status >= 400) expect(JSON.stringify(scope.config.get()), `${method} ${url} changed the config`).toBe(before);
  return res.status;
}

/** A path parameter becomes an arbitrary (URL-encoded) string. */
const pathFor = (route: Route) => fc.string({ maxLength: 30 }).map((p) => route.path.replace(/:[^/]+/g, encodeURIComponent(p)));

const contentType = fc.oneof(
  fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/octet-stream', 'multipart/form-data'),
  fc.stringMatching(/^[\x21-\x7e]{1,40}$/),
);

const query = fc.dictionary(fc.string({ maxLength: 12 }), fc.oneof(fc.string({ maxLength: 20 }), fc.integer().map(String)), { maxKeys: 4 });

describe('HTTP fuzz', () => {
  it('finds the routes it fuzzes', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    for (const r of ['GET /api/config', 'PATCH /api/config', 'POST /api/bursts', 'GET /api/events', 'GET /api/connections', 'GET /api/limits', 'GET /api/watches', 'POST /api/watches', 'DELETE /api/watches/:port']) {
      expect(names).toContain(r);
    }
  });

  it('answers arbitrary JSON bodies with 2xx/4xx only, on every route', async () => {
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(pathFor(route), fc.jsonValue({ maxDepth: 3 }), async (path, value) => {
          await probe(route.method, path, route.method === 'GET' ? {} : { body: JSON.stringify(value), contentType: 'application/json' });
        }),
        { numRuns: RUNS },
      );
    }
  });

  it('answers arbitrary bytes under any content type with 2xx/4xx only, on every route', async () => {
    for (const route of routes.filter((r) => r.method !== 'GET')) {
      await fc.assert(
        fc.asyncProperty(pathFor(route), fc.uint8Array({ maxLength: 2048 }), contentType, async (path, bytes, type) => {
          await probe(route.method, path, { body: bytes, contentType: type });
        }),
        { numRuns: RUNS },
      );
    }
  });

  it('answers arbitrary query strings with 2xx/4xx only, on every route', async () => {
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(pathFor(route), query, async (path, params) => {
          await probe(route.method, `${path}?${new URLSearchParams(params)}`);
        }),
        { numRuns: RUNS },
      );
    }
  });

  it('answers arbitrary paths and methods with 2xx/4xx only', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'),
        fc.array(fc.string({ maxLength: 12 }), { maxLength: 5 }),
        async (method, segments) => {
          await probe(method, `/${segments.map(encodeURIComponent).join('/')}`, method === 'GET' || method === 'OPTIONS' ? {} : { body: '{}', contentType: 'application/json' });
        },
      ),
      { numRuns: RUNS },
    );
  });
});
