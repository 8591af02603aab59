// Lets routes declare zod schemas from shared/ as their Fastify schemas: one schema gives the type,
// the validation and the error message, which names the field and what it allows.
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';

/** "body.count: must be an integer from 1 to 1000; body.foo: unknown field" */
export function zodMessage(error: z.ZodError, where: string): string {
  return error.issues
    .map((issue) => {
      const path = [where, ...issue.path.map(String)].join('.');
      if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => `${path}.${k}: unknown field`).join('; ');
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

const CONTEXT_NAMES: Record<string, string> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' };

export function useZodValidation(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const zodSchema = schema as unknown as z.ZodType;
    const where = CONTEXT_NAMES[httpPart ?? 'body'] ?? 'input';
    return (data: unknown) => {
      const result = zodSchema.safeParse(data);
      if (result.success) return { value: result.data };
      const error = new Error(zodMessage(result.error, where)) as Error & { statusCode: number };
      error.statusCode = 400;
      return { error };
    };
  });
}
