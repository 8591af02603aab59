// The routes a running server has, read from Fastify's own route tree, so that the fuzz tests reach
// every route — including ones added after these tests were written.
import type { FastifyInstance } from 'fastify';

export interface Route {
  method: string;
  path: string;
}

/**
 * Parses `printRoutes({ commonPrefix: false })`: one line per node, "├── /api/capture (GET, HEAD)",
 * children indented by four columns and naming only the rest of their path ("└── .pcap (GET, HEAD)").
 */
export function routesOf(app: FastifyInstance): Route[] {
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const at = line.indexOf('── ');
    if (at < 0) continue;
    const depth = Math.floor(at / 4);
    const m = /^(\S+)(?: \(([^)]*)\))?/.exec(line.slice(at + 3));
    if (!m) continue;
    const path = (stack[depth - 1] ?? '') + m[1];
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of (m[2] ?? '').split(',').map((s) => s.trim()).filter(Boolean)) routes.push({ method, path });
  }
  return routes;
}
