// Every refusal from a guard has the API's error shape (shared/api.ts ApiErrorSchema): the status,
// its name, and a message that names what was refused and the limit or rule.
import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';

/** Replies a guard refused: their message is already the one to send (see isGuardRefusal). */
const refused = new WeakSet<FastifyReply>();

export function refuse(reply: FastifyReply, statusCode: number, message: string): FastifyReply {
  refused.add(reply);
  return reply
    .code(statusCode)
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send({ statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message });
}

/** True for a reply refuse() made: hooks that rewrite Fastify's own errors leave it alone. */
export function isGuardRefusal(reply: FastifyReply): boolean {
  return refused.has(reply);
}

/** The path of a request URL, without its query. */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** The API and the live stream answer in JSON; everything else is the page and its files. */
export function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/') || path === '/ws';
}
