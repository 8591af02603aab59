// Cuts the bytes of a message into the pieces the built-in client writes one by one. Fixed pieces show how
// a read buffer and a write size interact; seeded random pieces ("chaos") show that a decoder must not care,
// and the seed makes any run that broke something repeatable. Pure, and free of Node APIs.
import { z } from 'zod';

export const SPLIT_PIECE_MAX_BYTES = 65536;
/** A piece of `random` split is at most this long unless `maxBytes` says otherwise: small enough to cut messages. */
export const SPLIT_RANDOM_MAX_DEFAULT = 16;

const pieceBytes = z
  .number({ error: `must be an integer from 1 to ${SPLIT_PIECE_MAX_BYTES}` })
  .int({ error: `must be an integer from 1 to ${SPLIT_PIECE_MAX_BYTES}` })
  .min(1, { error: `must be an integer from 1 to ${SPLIT_PIECE_MAX_BYTES}` })
  .max(SPLIT_PIECE_MAX_BYTES, { error: `must be an integer from 1 to ${SPLIT_PIECE_MAX_BYTES}` });

/** `none`: one write per message. `fixed`: pieces of `size` bytes (the last may be shorter). `random`: sizes drawn from minBytes..maxBytes. */
export const SplitSchema = z.discriminatedUnion(
  'mode',
  [
    z.strictObject({ mode: z.literal('none') }),
    z.strictObject({ mode: z.literal('fixed'), size: pieceBytes }),
    z
      .strictObject({
        mode: z.literal('random'),
        seed: z
          .number({ error: 'must be an integer from 0 to 4294967295' })
          .int({ error: 'must be an integer from 0 to 4294967295' })
          .min(0, { error: 'must be an integer from 0 to 4294967295' })
          .max(0xffffffff, { error: 'must be an integer from 0 to 4294967295' }),
        minBytes: pieceBytes.default(1),
        maxBytes: pieceBytes.default(SPLIT_RANDOM_MAX_DEFAULT),
      })
      .refine((s) => s.minBytes <= s.maxBytes, { error: 'minBytes must not exceed maxBytes', path: ['minBytes'] }),
  ],
  { error: 'mode must be one of none, fixed, random' },
);
export type Split = z.infer<typeof SplitSchema>;

/** mulberry32: a 32-bit state, a few integer ops per draw; plenty for picking piece sizes. Returns [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A splitter keeps one random stream across calls, so that a whole burst (every message in turn) is cut the
 * same way for the same seed. The pieces are views into `bytes`, not copies; an empty input gives no pieces.
 */
export function createSplitter(split: Split): (bytes: Uint8Array) => Uint8Array[] {
  switch (split.mode) {
    case 'none':
      return (bytes) => (bytes.length === 0 ? [] : [bytes]);
    case 'fixed':
      return (bytes) => cut(bytes, () => split.size);
    case 'random': {
      const next = mulberry32(split.seed);
      const span = split.maxBytes - split.minBytes + 1;
      return (bytes) => cut(bytes, () => split.minBytes + Math.floor(next() * span));
    }
  }
}

/** One message, one split: `createSplitter(split)(bytes)`. */
export function chaosSplit(bytes: Uint8Array, split: Split): Uint8Array[] {
  return createSplitter(split)(bytes);
}

// Every piece is at least one byte, so the loop runs at most bytes.length times.
function cut(bytes: Uint8Array, nextSize: () => number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    const end = Math.min(bytes.length, at + Math.max(1, nextSize()));
    pieces.push(bytes.subarray(at, end));
    at = end;
  }
  return pieces;
}
