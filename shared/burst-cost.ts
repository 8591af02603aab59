// What a burst costs before it is made: how many writes (count × pieces after the split) and how many bytes
// the built-in client would put on the wire. The server checks it against --max-burst-writes and
// --max-burst-bytes before connecting; the page's form checks the same with the defaults. Pure: lengths only,
// no payload is built and nothing is cut, and counting stops as soon as a ceiling is passed.
import type { Split } from './chaos-split.ts';
import { mulberry32 } from './chaos-split.ts';
import type { Framing } from './config.ts';
import { delimiterBytes } from './framing-encode.ts';

export interface BurstCost {
  /** Writes the client would make; once past `maxWrites`, counting stopped and this is just above it. */
  writes: number;
  /** Bytes the client would write, framing included (exact). */
  bytes: number;
}

export interface BurstShape {
  count: number;
  payload: string;
  split: Split;
}

const utf8 = new TextEncoder();

/** The UTF-8 length of write `n`'s payload ({n} is its 1-based number), without building it. */
export function payloadLength(template: string): (n: number) => number {
  const parts = template.split('{n}');
  let fixed = 0;
  for (const p of parts) fixed += utf8.encode(p).length;
  const slots = parts.length - 1;
  return (n) => fixed + slots * String(n).length;
}

/** Bytes of one frame around a payload of `n` bytes, as encodeMessage builds it. */
export function frameLength(n: number, framing: Framing): number {
  switch (framing.mode) {
    case 'raw':
      return n;
    case 'delimiter':
      return n + delimiterBytes(framing.delimiter).length;
    case 'fixed':
      return framing.size;
    case 'length-prefix':
      return n + framing.prefixBytes;
  }
}

/**
 * The burst's writes and bytes. O(count) for bytes; for writes O(count) too, except a random split, which
 * draws piece sizes (no bytes) and stops once `maxWrites` is passed, so it costs at most maxWrites + count draws.
 */
export function burstCost(req: BurstShape, framing: Framing, maxWrites: number): BurstCost {
  const lengthOf = payloadLength(req.payload);
  let bytes = 0;
  let writes = 0;
  const next = req.split.mode === 'random' ? mulberry32(req.split.seed) : null;
  for (let i = 1; i <= req.count; i++) {
    const len = frameLength(lengthOf(i), framing);
    bytes += len;
    if (writes > maxWrites) continue; // past the ceiling: only the bytes are still summed
    const split = req.split;
    if (len === 0 || split.mode === 'none') writes += 1; // an empty frame is still one (empty) write
    else if (split.mode === 'fixed') writes += Math.ceil(len / split.size);
    else {
      const span = split.maxBytes - split.minBytes + 1;
      for (let at = 0; at < len && writes <= maxWrites; writes++) at += split.minBytes + Math.floor(next!() * span);
    }
  }
  return { writes, bytes };
}

/** The first ceiling a burst passes, as the message the API and the page both show; null when it fits. */
export function burstCostRefusal(cost: BurstCost, limits: { maxBurstWrites: number; maxBurstBytes: number }): string | null {
  if (cost.writes > limits.maxBurstWrites) {
    return `body: this burst makes more than ${limits.maxBurstWrites} writes (count × pieces after the split); at most ${limits.maxBurstWrites} (--max-burst-writes)`;
  }
  if (cost.bytes > limits.maxBurstBytes) {
    return `body: this burst writes ${cost.bytes} bytes; at most ${limits.maxBurstBytes} (--max-burst-bytes)`;
  }
  return null;
}
