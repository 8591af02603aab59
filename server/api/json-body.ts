// JSON request bodies. Fastify's own parser refuses a `__proto__` key (prototype poisoning) with "Body is not
// valid JSON", which does not say what is wrong or where; this parser refuses it naming the field, as every
// other bad input is refused. `constructor.prototype` is refused the same way.
import type { FastifyInstance } from 'fastify';

function badRequest(message: string): Error {
  return Object.assign(new Error(message), { statusCode: 400 });
}

/**
 * The path of the first key that could poison a prototype (`__proto__`, or `constructor` holding
 * `prototype`), as `body.a.0.__proto__`; null when there is none. Iterative: a body may nest deeper than the stack.
 */
export function poisonedKeyPath(value: unknown): string | null {
  const stack: { v: unknown; path: string }[] = [{ v: value, path: 'body' }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    for (const key of Object.keys(v)) {
      const child = (v as Record<string, unknown>)[key];
      if (key === '__proto__') return `${path}.__proto__`;
      if (key === 'constructor' && child !== null && typeof child === 'object' && Object.hasOwn(child, 'prototype')) {
        return `${path}.constructor.prototype`;
      }
      stack.push({ v: child, path: `${path}.${key}` });
    }
  }
  return null;
}

export function useJsonBody(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') {
      done(badRequest("body: is empty; send a JSON value, or no body and no content-type"), undefined);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      done(badRequest(`body: is not valid JSON (${(err as Error).message})`), undefined);
      return;
    }
    const poisoned = poisonedKeyPath(value);
    if (poisoned !== null) {
      done(badRequest(`${poisoned}: this key is not allowed (it would reach an object's prototype)`), undefined);
      return;
    }
    done(null, value);
  });
}
