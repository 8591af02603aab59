// A connection id in a query string (`?connId=N`), one schema for every route that takes one
// (GET /api/events, GET /api/capture.pcap), so that the same id is valid or refused the same way everywhere.
import { z } from 'zod';

/** Ids count up from 1; 0 is the id of server-wide events (config). */
export const CONN_ID_MAX = 0xffffffff;

/** `?connId=N`: plain decimal digits, from `min` (0 where server-wide events count, else 1) to CONN_ID_MAX. */
export function connIdQuery(min: 0 | 1) {
  const message = `must be a connection id, an integer from ${min} to ${CONN_ID_MAX}`;
  return z
    .string({ error: (issue) => (issue.input === undefined ? 'is required (the id of a connection)' : message) })
    .regex(/^\d{1,10}$/, { error: message })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: message }).max(CONN_ID_MAX, { error: message }));
}
