// Every refusal from a guard has the API's error shape (shared/api.ts ApiErrorSchema): the status,
// its name, and a message that names what was refused and the limit or rule.
import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';

export function refuse(reply: FastifyReply, statusCode: number, message: string): FastifyReply {
  return reply
    .code(statusCode)
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send({ statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message });
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
