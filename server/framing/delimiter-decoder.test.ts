import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Framing } from '../../shared/config.ts';
import { delimiterBytes, encodeMessages } from '../../shared/framing-encode.ts';
import { DelimiterDecoder } from './delimiter-decoder.ts';
import { createFrameDecoder } from './frame-decoder.ts';
import { assertDecodesEveryCut, bytes, concat, cutAt, expectedMessages, feed, framingArb, payloadsFor, readsOf, seqAt } from './test-support.ts';

type Delimiter = Extract<Framing, { mode: 'delimiter' }>;
const text = (b: number[]) => new TextDecoder().decode(Uint8Array.from(b));

describe('DelimiterDecoder', () => {
  it('yields every message byte for byte, with the reads that carried it, however the stream is cut', () => {
    assertDecodesEveryCut('delimiter', 300);
  });

  it("gives 'delimiter-not-found' on the read that brings the payload past the maximum, after the messages before it", () => {
    fc.assert(
      fc.property(
        framingArb('delimiter')
          .chain((f) => {
            const framing = f as Delimiter;
            const delim = delimiterBytes(framing.delimiter);
            // Bytes that occur nowhere in the delimiter, so no delimiter can start inside the overlong run.
            const foreign = [0x41, 0x42, 0x7e, 0xff].filter((b) => !delim.includes(b));
            return fc.tuple(
              fc.constant(framing),
              payloadsFor(framing, 4),
              fc.array(fc.constantFrom(...foreign), { minLength: framing.maxMessageBytes + 1, maxLength: framing.maxMessageBytes + 20 }),
            );
          })
          .chain(([framing, payloads, run]) => {
            const good = encodeMessages(payloads, framing);
            const stream = concat([good, Uint8Array.from(run)]);
            return fc.tuple(fc.constant({ framing, payloads, good }), readsOf(stream));
          }),
        ([{ framing, payloads, good }, reads]) => {
          const decoder = createFrameDecoder(framing)!;
          const { messages, violation, violationAt } = feed(decoder, reads);
          expect(messages).toEqual(expectedMessages(payloads, framing, reads));
          expect(violation?.rule).toBe('delimiter-not-found');
          expect(violation?.message).toContain(`within the maximum of ${framing.maxMessageBytes} bytes`);
          // The first byte over the maximum is the one that breaks the rule: nothing past it was buffered.
          expect(reads[violationAt]!.seq).toBe(seqAt(reads, good.length + framing.maxMessageBytes));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a delimiter found only beyond the maximum, even within one read', () => {
    const d = new DelimiterDecoder(bytes('\n'), 4);
    const seen: string[] = [];
    const v = d.push(bytes('ok\nhello\n'), 1, (m) => seen.push(text(Array.from(m))));
    expect(seen).toEqual(['ok']);
    expect(v).toEqual({ rule: 'delimiter-not-found', message: 'no delimiter "\\n" within the maximum of 4 bytes' });
    expect(d.push(bytes('\n'), 2, () => seen.push('late'))).toBe(v);
    expect(seen).toEqual(['ok']);
  });

  it('counts a partial delimiter against the maximum only once it cannot be one', () => {
    // "abc" is exactly the maximum; "\r" may still start the delimiter, a second "\r" means it did not.
    const ok = new DelimiterDecoder(bytes('\r\n'), 3);
    const seen: string[] = [];
    expect(ok.push(bytes('abc\r'), 1, (m) => seen.push(text(Array.from(m))))).toBeNull();
    expect(ok.buffered()).toBe(4);
    expect(ok.buffered()).toBeLessThanOrEqual(ok.maxBuffered);
    expect(ok.push(bytes('\n'), 2, (m) => seen.push(text(Array.from(m))))).toBeNull();
    expect(seen).toEqual(['abc']);

    const bad = new DelimiterDecoder(bytes('\r\n'), 3);
    expect(bad.push(bytes('abc\r'), 1, () => {})).toBeNull();
    expect(bad.push(bytes('\r\n'), 2, () => {})?.rule).toBe('delimiter-not-found');
  });

  it('finds a self-overlapping delimiter split across reads', () => {
    const framing: Delimiter = { mode: 'delimiter', delimiter: 'aab', maxMessageBytes: 10 };
    const stream = bytes('xaaaabyaabaab');
    const payloads = [bytes('xaa'), bytes('y'), new Uint8Array(0)];
    for (let a = 1; a < stream.length; a++) {
      for (let b = a + 1; b < stream.length; b++) {
        const reads = cutAt(stream, [a, b]);
        expect(feed(createFrameDecoder(framing)!, reads).messages).toEqual(expectedMessages(payloads, framing, reads));
      }
    }
  });

  it("splits the tutorial's 21-byte read into Hello1, Hello2, Hello3", () => {
    const framing: Delimiter = { mode: 'delimiter', delimiter: '\n', maxMessageBytes: 65536 };
    const { messages } = feed(createFrameDecoder(framing)!, cutAt(bytes('Hello1\nHello2\nHello3\n'), []));
    expect(messages.map((m) => [text(m.bytes), m.offset, m.firstReadSeq, m.lastReadSeq])).toEqual([
      ['Hello1', 0, 10, 10],
      ['Hello2', 7, 10, 10],
      ['Hello3', 14, 10, 10],
    ]);
  });
});
