// The read buffer as typed: checked with the server's own schema before anything is sent, so the page
// refuses exactly what the API would, in plain words, and a value it takes is shown as it is applied
// ("1e3" becomes 1000 in the field too). Pure.
import { BufferSizeSchema } from '../../shared/config.ts';
import { BUFFER_SIZE_MAX, BUFFER_SIZE_MIN } from '../../shared/limits.ts';

export type BufferInput = { ok: true; value: number } | { ok: false; message: string };

/** "1–65536 B": what the field allows, shown beside it. */
export const BUFFER_RANGE_TEXT = `${BUFFER_SIZE_MIN}–${BUFFER_SIZE_MAX} B`;

export function parseBufferInput(text: string): BufferInput {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: `give a whole number of bytes, ${BUFFER_RANGE_TEXT}` };
  const n = Number(trimmed);
  if (!Number.isFinite(n)) return { ok: false, message: `"${trimmed}" is not a number: give ${BUFFER_RANGE_TEXT}` };
  if (!Number.isInteger(n)) return { ok: false, message: `${trimmed} is not a whole number of bytes: give ${BUFFER_RANGE_TEXT}` };
  const checked = BufferSizeSchema.safeParse(n);
  if (!checked.success) return { ok: false, message: `${n} is out of range: give ${BUFFER_RANGE_TEXT}` };
  return { ok: true, value: checked.data };
}
