import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Framing } from '../../shared/config.ts';
import { encodeMessages, lengthPrefixCapacity } from '../../shared/framing-encode.ts';
import { createFrameDecoder } from './frame-decoder.ts';
import { LengthPrefixDecoder } from './length-prefix-decoder.ts';
import { assertDecodesEveryCut, concat, cutAt, expectedMessages, feed, framingArb, payloadsFor, readsOf, seqAt } from './test-support.ts';

type LengthPrefix = Extract<Framing, { mode: 'length-prefix' }>;

function prefix(n: number, p: 1 | 2 | 4): Uint8Array {
  const out = new Uint8Array(p);
  for (let i = p - 1; i >= 0; i--) {
    out[i] = n % 256;
    n = Math.floor(n / 256);
  }
  return out;
}

describe('LengthPrefixDecoder', () => {
  it('yields every message byte for byte, with the reads that carried it, however the stream is cut', () => {
    assertDecodesEveryCut('length-prefix');
  });

  it("refuses a prefix above the maximum with rule 'length-prefix-too-large', after delivering the messages before it", () => {
    fc.assert(
      fc.property(
        framingArb('length-prefix')
          .chain((f) => {
            const framing = f as LengthPrefix;
            const cap = lengthPrefixCapacity(framing.prefixBytes);
            return fc.tuple(
              fc.constant(framing),
              payloadsFor(framing, 4),
              fc.integer({ min: framing.maxMessageBytes + 1, max: Math.min(cap, framing.maxMessageBytes + 1000) }),
              fc.uint8Array({ maxLength: 30 }),
            );
          })
          .chain(([framing, payloads, announced, tail]) => {
            const good = encodeMessages(payloads, framing);
            const stream = concat([good, prefix(announced, framing.prefixBytes), tail]);
            return fc.tuple(fc.constant({ framing, payloads, announced, good }), readsOf(stream));
          }),
        ([{ framing, payloads, announced, good }, reads]) => {
          const { messages, violation, violationAt } = feed(createFrameDecoder(framing)!, reads);
          expect(messages).toEqual(expectedMessages(payloads, framing, reads));
          expect(violation).toEqual({
            rule: 'length-prefix-too-large',
            message: `length prefix announces ${announced} bytes, above the maximum of ${framing.maxMessageBytes}`,
          });
          // Refused as soon as the prefix is complete, before any payload byte is kept.
          const lastPrefixByte = good.length + framing.prefixBytes - 1;
          expect(reads[violationAt]!.seq).toBe(seqAt(reads, lastPrefixByte));
        },
      ),
    );
  });

  it('reports the violation on the read that completes the prefix, and stays broken', () => {
    const d = new LengthPrefixDecoder(4, 65536);
    const none = () => {
      throw new Error('no message expected');
    };
    expect(d.push(Uint8Array.of(0xff, 0xff), 1, none)).toBeNull();
    const v = d.push(Uint8Array.of(0xff, 0xff, 1, 2, 3), 2, none);
    expect(v).toEqual({ rule: 'length-prefix-too-large', message: 'length prefix announces 4294967295 bytes, above the maximum of 65536' });
    expect(d.push(Uint8Array.of(0, 0, 0, 0), 3, none)).toBe(v);
  });

  it('delivers empty messages and messages of exactly the maximum', () => {
    const framing: LengthPrefix = { mode: 'length-prefix', prefixBytes: 2, maxMessageBytes: 5 };
    const payloads = [new Uint8Array(0), Uint8Array.of(1, 2, 3, 4, 5), new Uint8Array(0)];
    const stream = encodeMessages(payloads, framing);
    for (let cut = 1; cut < stream.length; cut++) {
      const reads = cutAt(stream, [cut]);
      expect(feed(createFrameDecoder(framing)!, reads).messages).toEqual(expectedMessages(payloads, framing, reads));
    }
  });
});
