import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Framing } from '../../shared/config.ts';
import { encodeMessage, encodeMessages } from '../../shared/framing-encode.ts';
import { ConnectionFramer, sameFraming } from './connection-framer.ts';
import type { FramingViolation } from './frame-decoder.ts';
import { anyFramingArb, bytes, concat, cutAt, type Decoded, expectedMessages, payloadsFor, type Read } from './test-support.ts';

const RAW: Framing = { mode: 'raw' };
const LINES: Framing = { mode: 'delimiter', delimiter: '\n', maxMessageBytes: 64 };
const SEVEN: Framing = { mode: 'fixed', size: 7 };

/** Feeds reads, calling `before(k)` ahead of read k so that a test can change the framing between reads. */
function run(framer: ConnectionFramer, reads: readonly Read[], before: (k: number) => void = () => {}) {
  const messages: Decoded[] = [];
  let violation: FramingViolation | null = null;
  for (let k = 0; k < reads.length && violation === null; k++) {
    before(k);
    const r = reads[k]!;
    violation = framer.push(r.bytes, r.seq, (msg, firstReadSeq, lastReadSeq, offset) => {
      messages.push({ bytes: Array.from(msg), firstReadSeq, lastReadSeq, offset });
    });
  }
  return { messages, violation };
}

describe('ConnectionFramer', () => {
  it('switches framing at the end of the frame in progress, even in the middle of a read', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(anyFramingArb, anyFramingArb)
          .chain(([a, b]) => fc.tuple(fc.constant(a), fc.constant(b), payloadsFor(a, 4).filter((p) => p.length > 0), payloadsFor(b, 4)))
          .chain(([a, b, pa, pb]) => {
            const encA = encodeMessages(pa, a);
            const lastA = encodeMessage(pa.at(-1)!, a).length;
            const stream = concat([encA, encodeMessages(pb, b)]);
            // The change is made while the last frame of `a` is in flight (or just complete): it must wait for that frame's end.
            const switchAt = fc.integer({ min: encA.length - lastA + 1, max: encA.length });
            const cuts = fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, stream.length - 1) }), { maxLength: 12 });
            return fc.tuple(fc.constant({ a, b, pa, pb, encA, stream }), switchAt, cuts);
          }),
        ([{ a, b, pa, pb, encA, stream }, switchAt, cuts]) => {
          const reads = cutAt(stream, [...cuts, switchAt]);
          const framer = new ConnectionFramer(a);
          const { messages, violation } = run(framer, reads, (k) => {
            if (reads[k]!.offset === switchAt) framer.setFraming(b);
          });
          // With nothing sent in `b`, the switch point is the end of the stream, where no read starts.
          if (switchAt === stream.length) framer.setFraming(b);
          expect(violation).toBeNull();
          expect(messages).toEqual([...expectedMessages(pa, a, reads), ...expectedMessages(pb, b, reads, encA.length)]);
          expect(framer.framing).toEqual(b);
          expect(framer.pendingFraming).toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps the old framing while its frame never completes, and switches the moment it does', () => {
    const framer = new ConnectionFramer(SEVEN);
    const seen: string[] = [];
    const on = (m: Uint8Array, first: number, last: number, offset: number) =>
      seen.push(`${new TextDecoder().decode(m)}@${offset}:${first}-${last}`);
    framer.push(bytes('Hel'), 1, on);
    framer.setFraming(LINES);
    expect(framer.framing).toEqual(SEVEN);
    expect(framer.pendingFraming).toEqual(LINES);
    framer.push(bytes('lo'), 2, on);
    expect(framer.pendingFraming).toEqual(LINES);
    expect(framer.buffered()).toBe(5);
    framer.push(bytes('1\nab\ncd'), 3, on);
    expect(framer.framing).toEqual(LINES);
    expect(seen).toEqual(['Hello1\n@0:1-3', 'ab@7:3-3']);
    expect(framer.buffered()).toBe(2);
  });

  it('applies at once at a boundary, and counts raw bytes so offsets carry over', () => {
    const framer = new ConnectionFramer(RAW);
    const seen: number[][] = [];
    const on = (m: Uint8Array, first: number, last: number, offset: number) => seen.push([m.length, first, last, offset]);
    expect(framer.push(bytes('Hello1\nHel'), 1, on)).toBeNull();
    expect(seen).toEqual([]);
    framer.setFraming(LINES);
    expect(framer.pendingFraming).toBeNull();
    framer.push(bytes('Hello2\n'), 2, on);
    expect(seen).toEqual([[6, 2, 2, 10]]);
  });

  it('goes raw after the frame in progress: the rest of that read is not a message', () => {
    const framer = new ConnectionFramer(LINES);
    const seen: number[] = [];
    framer.push(bytes('Hel'), 1, (m) => seen.push(m.length));
    framer.setFraming(RAW);
    framer.push(bytes('lo1\nHello2\n'), 2, (m) => seen.push(m.length));
    expect(seen).toEqual([6]);
    expect(framer.framing).toEqual(RAW);
    framer.setFraming(LINES);
    framer.push(bytes('x\n'), 3, (_m, _f, _l, offset) => seen.push(offset));
    expect(seen).toEqual([6, 14]);
  });

  it('starts at a given stream offset and says where the active framing took over', () => {
    const framer = new ConnectionFramer(LINES, 100);
    const offsets: number[] = [];
    framer.push(bytes('ab\ncd'), 1, (_m, _f, _l, offset) => offsets.push(offset));
    expect(offsets).toEqual([100]);
    expect(framer.activeSince).toBe(100);
    framer.setFraming(SEVEN);
    framer.push(bytes('\n1234567'), 2, (_m, _f, _l, offset) => offsets.push(offset));
    expect(offsets).toEqual([100, 103, 106]);
    expect(framer.activeSince).toBe(106);
  });

  it('lets the last change win, and cancels a pending change when the active framing is set again', () => {
    const framer = new ConnectionFramer(SEVEN);
    framer.push(bytes('abc'), 1, () => {});
    framer.setFraming(LINES);
    framer.setFraming(RAW);
    expect(framer.pendingFraming).toEqual(RAW);
    framer.setFraming({ size: 7, mode: 'fixed' });
    expect(framer.pendingFraming).toBeNull();
    expect(framer.framing).toEqual(SEVEN);
  });

  it('passes on a violation of the old framing while a change waits', () => {
    const framer = new ConnectionFramer({ mode: 'length-prefix', prefixBytes: 2, maxMessageBytes: 10 });
    framer.push(Uint8Array.of(0), 1, () => {});
    framer.setFraming(LINES);
    expect(framer.push(Uint8Array.of(200, 1, 2), 2, () => {})?.rule).toBe('length-prefix-too-large');
  });

  it('compares framings field by field', () => {
    expect(sameFraming({ mode: 'delimiter', delimiter: '\n', maxMessageBytes: 64 }, { maxMessageBytes: 64, delimiter: '\n', mode: 'delimiter' })).toBe(true);
    expect(sameFraming(LINES, { ...LINES, maxMessageBytes: 65 } as Framing)).toBe(false);
    expect(sameFraming(RAW, SEVEN)).toBe(false);
  });
});
