// Test helpers for the framing decoders: cut a stream into reads anywhere, feed them, and say which read
// carried which byte, so that properties can check firstReadSeq/lastReadSeq against the cuts.
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Framing } from '../../shared/config.ts';
import { delimiterBytes, encodeMessage, encodeMessages } from '../../shared/framing-encode.ts';
import { createFrameDecoder, type FrameDecoder, type FramingViolation } from './frame-decoder.ts';

export interface Read {
  bytes: Uint8Array;
  seq: number;
  /** Stream position of the read's first byte. */
  offset: number;
}

export interface Decoded {
  bytes: number[];
  firstReadSeq: number;
  lastReadSeq: number;
  offset: number;
}

/** Any way of cutting `stream` into non-empty reads, with seqs that grow by arbitrary steps as in a shared event log. */
export function readsOf(stream: Uint8Array): fc.Arbitrary<Read[]> {
  return fc
    .tuple(fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, stream.length - 1) }), { maxLength: stream.length }), fc.array(fc.integer({ min: 1, max: 5 }), { minLength: stream.length + 1, maxLength: stream.length + 1 }))
    .map(([cuts, steps]) => cutAt(stream, cuts, steps));
}

export function cutAt(stream: Uint8Array, cuts: readonly number[], steps: readonly number[] = []): Read[] {
  const points = [...new Set(cuts.filter((c) => c > 0 && c < stream.length))].sort((a, b) => a - b);
  const reads: Read[] = [];
  let from = 0;
  let seq = 10;
  for (const end of [...points, stream.length]) {
    if (end === from) continue;
    reads.push({ bytes: stream.slice(from, end), seq, offset: from });
    seq += steps[reads.length] ?? 1;
    from = end;
  }
  return reads;
}

/** The seq of the read that carried stream byte `pos`. */
export function seqAt(reads: readonly Read[], pos: number): number {
  for (const r of reads) if (pos >= r.offset && pos < r.offset + r.bytes.length) return r.seq;
  throw new Error(`no read carries byte ${pos}`);
}

/**
 * Feeds every read through one reused buffer, as a socket does, and scribbles over it after each push: a
 * decoder that kept a view instead of copying would hand out garbage. After each read, checks that the
 * buffered bytes stay within the decoder's bound.
 */
export function feed(decoder: FrameDecoder, reads: readonly Read[]): { messages: Decoded[]; violation: FramingViolation | null; violationAt: number } {
  const messages: Decoded[] = [];
  const socketBuffer = new Uint8Array(reads.reduce((n, r) => Math.max(n, r.bytes.length), 0));
  for (let k = 0; k < reads.length; k++) {
    const r = reads[k]!;
    socketBuffer.set(r.bytes, 0);
    const violation = decoder.push(socketBuffer.subarray(0, r.bytes.length), r.seq, (msg, firstReadSeq, lastReadSeq, offset) => {
      messages.push({ bytes: Array.from(msg), firstReadSeq, lastReadSeq, offset });
    });
    socketBuffer.fill(0xee);
    if (violation !== null) return { messages, violation, violationAt: k };
    expect(decoder.buffered()).toBeLessThanOrEqual(decoder.maxBuffered);
  }
  return { messages, violation: null, violationAt: -1 };
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Delimiters that make the search work: repeats ("aab"), self-overlap ("aba"), multi-byte UTF-8 ("é"). */
export const delimiterArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('\n', '\r\n', 'ab', 'aab', 'aba', '||', '\0', 'é', 'END'),
  fc.string({ minLength: 1, maxLength: 3 }),
);

export function framingArb(mode: Exclude<Framing['mode'], 'raw'>): fc.Arbitrary<Framing> {
  switch (mode) {
    case 'delimiter':
      return fc.record({ mode: fc.constant('delimiter' as const), delimiter: delimiterArb, maxMessageBytes: fc.integer({ min: 1, max: 24 }) });
    case 'fixed':
      return fc.record({ mode: fc.constant('fixed' as const), size: fc.integer({ min: 1, max: 12 }) });
    case 'length-prefix':
      return fc.record({
        mode: fc.constant('length-prefix' as const),
        prefixBytes: fc.constantFrom(1 as const, 2 as const, 4 as const),
        maxMessageBytes: fc.integer({ min: 1, max: 24 }),
      });
  }
}

export const anyFramingArb: fc.Arbitrary<Framing> = fc.oneof(framingArb('delimiter'), framingArb('fixed'), framingArb('length-prefix'));

/** Payloads the framing can carry intact, up to its maximum (some of exactly the maximum). */
export function payloadsFor(framing: Framing, maxCount = 8): fc.Arbitrary<Uint8Array[]> {
  switch (framing.mode) {
    case 'raw':
      return fc.array(fc.uint8Array({ minLength: 1, maxLength: 16 }), { maxLength: maxCount });
    case 'fixed':
      return fc.array(fc.uint8Array({ minLength: framing.size, maxLength: framing.size }), { maxLength: maxCount });
    case 'length-prefix':
      return fc.array(
        fc.oneof(fc.uint8Array({ maxLength: framing.maxMessageBytes }), fc.uint8Array({ minLength: framing.maxMessageBytes, maxLength: framing.maxMessageBytes })),
        { maxLength: maxCount },
      );
    case 'delimiter': {
      const delim = delimiterBytes(framing.delimiter);
      // Draw mostly from the delimiter's own bytes, so that near-misses and split delimiters are common.
      const alphabet = [...new Set([...delim, 0x41, 0x0a, 0x00])];
      return fc.array(
        fc.array(fc.constantFrom(...alphabet), { maxLength: framing.maxMessageBytes + 4 }).map((raw) => withoutDelimiter(raw, delim, framing.maxMessageBytes)),
        { maxLength: maxCount },
      );
    }
  }
}

/** Keeps the bytes that do not complete the delimiter, then trims until the delimiter first occurs right after the payload. */
function withoutDelimiter(raw: number[], delim: Uint8Array, max: number): Uint8Array {
  const out: number[] = [];
  for (const b of raw) {
    if (out.length === max) break;
    if (indexOf([...out, b], delim) === -1) out.push(b);
  }
  while (indexOf([...out, ...delim], delim) !== out.length) out.pop();
  return Uint8Array.from(out);
}

export function indexOf(hay: ArrayLike<number>, needle: ArrayLike<number>, from = 0): number {
  outer: for (let i = from; i + needle.length <= hay.length; i++) {
    for (let k = 0; k < needle.length; k++) if (hay[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

/** What a decoder must report for these payloads sent back to back from stream position `start`. */
export function expectedMessages(payloads: readonly Uint8Array[], framing: Framing, reads: readonly Read[], start = 0): Decoded[] {
  const out: Decoded[] = [];
  let at = start;
  const head = framing.mode === 'length-prefix' ? framing.prefixBytes : 0;
  for (const p of payloads) {
    const frame = encodeMessage(p, framing);
    out.push({ bytes: Array.from(p), firstReadSeq: seqAt(reads, at), lastReadSeq: seqAt(reads, at + frame.length - 1), offset: at + head });
    at += frame.length;
  }
  return out;
}

/**
 * The property every decoder must hold: for any framing of `mode`, any messages and any cut of their
 * stream into reads, it yields exactly the messages sent, with the reads that carried them, and ends at a
 * boundary with nothing buffered.
 */
export function assertDecodesEveryCut(mode: Exclude<Framing['mode'], 'raw'>, numRuns?: number): void {
  fc.assert(
    fc.property(
      framingArb(mode)
        .chain((framing) => fc.tuple(fc.constant(framing), payloadsFor(framing)))
        .chain(([framing, payloads]) => {
          const stream = encodeMessages(payloads, framing);
          return fc.tuple(fc.constant(framing), fc.constant(payloads), fc.constant(stream), readsOf(stream));
        }),
      ([framing, payloads, stream, reads]) => {
        const decoder = createFrameDecoder(framing)!;
        const { messages, violation } = feed(decoder, reads);
        expect(violation).toBeNull();
        expect(messages).toEqual(expectedMessages(payloads, framing, reads));
        expect(decoder.buffered()).toBe(0);
        expect(decoder.nextOffset()).toBe(stream.length);
      },
    ),
    numRuns === undefined ? {} : { numRuns },
  );
}
