// The two events that framing adds: a complete message cut from the stream, and the rule a peer broke.
// events.ts puts them in its union; this file cannot import from events.ts (that would be a cycle), so it
// repeats the three base fields every event has.
import { z } from 'zod';

const seq = z.number().int().nonnegative();
const base = {
  seq,
  t: z.number(),
  connId: z.number().int().nonnegative(),
};

/** The rules a peer can break under framing; each one closes its connection with reason `protocol`. */
export const FRAMING_RULES = ['length-prefix-too-large', 'delimiter-not-found'] as const;
export const FramingRuleSchema = z.enum(FRAMING_RULES);
export type FramingRule = z.infer<typeof FramingRuleSchema>;

/**
 * One complete message. The framing bytes (length prefix, delimiter) are not part of it: `offset` is the
 * position of its first payload byte in the client-to-server stream and `length` counts payload bytes only.
 * `firstReadSeq`..`lastReadSeq` name the reads that carried the whole frame, prefix and delimiter included;
 * reads on one connection are consecutive, so the range names every read in between too.
 */
export const MessageEventSchema = z.object({
  ...base,
  kind: z.literal('message'),
  offset: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
  /** Same format and cap as a read's hex (toHex, EVENT_HEX_MAX_BYTES). */
  hex: z.string(),
  /** True when `hex` holds fewer bytes than `length`. */
  truncated: z.boolean(),
  firstReadSeq: seq,
  lastReadSeq: seq,
});

/** The peer broke the framing's rule; `message` says how, with the numbers. The connection closes next. */
export const ErrorEventSchema = z.object({
  ...base,
  kind: z.literal('error'),
  rule: FramingRuleSchema,
  message: z.string(),
});
