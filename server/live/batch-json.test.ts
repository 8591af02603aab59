import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_HEX_MAX_BYTES } from '../../shared/limits.ts';
import { chunkKindCode } from '../events/chunk-columns.ts';
import { EventStore } from '../events/event-store.ts';
import { BatchJsonWriter } from './batch-json.ts';


describe('BatchJsonWriter', () => {
  it('writes exactly the bytes of JSON.stringify of the batch the store\'s wire events make', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({
              chunk: fc.constant(true as const),
              kind: fc.constantFrom('read' as const, 'write' as const, 'reply' as const),
              length: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: EVENT_HEX_MAX_BYTES - 2, max: EVENT_HEX_MAX_BYTES + 50 })),
              t: fc.double({ min: 1.7e12, max: 1.8e12, noNaN: true }),
            }),
            // Other events go through JSON.stringify: their text may hold anything, UTF-8 included.
            fc.record({ chunk: fc.constant(false as const), reason: fc.string({ unit: 'binary', maxLength: 20 }) }),
          ),
          { maxLength: 60 },
        ),
        fc.integer({ min: 0, max: 300 }),
        fc.nat(),
        fc.oneof(fc.constant(0), fc.nat()),
        fc.array(fc.record({ id: fc.nat(), note: fc.string({ unit: 'grapheme', maxLength: 8 }) }), { maxLength: 3 }),
        (specs, preview, skipped, summarised, connections) => {
          const store = new EventStore(32);
          specs.forEach((s, i) => {
            const seq = i + 1;
            if (!s.chunk) store.push({ kind: 'error', seq, t: seq, connId: 2, rule: 'length-prefix-too-large', message: s.reason });
            else {
              const src = Uint8Array.from({ length: s.length }, (_, k) => (seq * 31 + k) & 0xff);
              store.pushChunk(chunkKindCode(s.kind), seq, s.t, 1, seq * 1000, s.length, src, Math.min(s.length, EVENT_HEX_MAX_BYTES));
            }
          });
          const seqs = specs.map((_, i) => i + 1);
          const w = new BatchJsonWriter();
          w.begin();
          let left = 0;
          for (const seq of seqs) if (!store.writeWireBySeq(seq, preview, w)) left++;
          const got = w.end(skipped + left, summarised, connections);
          const events = seqs.flatMap((seq) => store.wireBySeq(seq, preview) ?? []);
          const want = Buffer.from(
            JSON.stringify({ type: 'batch', events, skipped: skipped + left, ...(summarised > 0 ? { summarised } : {}), connections }),
          );
          expect(got.toString()).toBe(want.toString());
          expect(got.equals(want)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('grows past its first buffer for a batch of large previews, and starts afresh each batch', () => {
    const store = new EventStore(400);
    const src = new Uint8Array(256).fill(0xab);
    for (let seq = 1; seq <= 300; seq++) store.pushChunk(chunkKindCode('read'), seq, seq, 1, 0, 256, src, 256);
    const w = new BatchJsonWriter();
    for (let round = 0; round < 2; round++) {
      w.begin();
      for (let seq = 1; seq <= 300; seq++) store.writeWireBySeq(seq, 256, w);
      const msg = JSON.parse(w.end(0, 0, []).toString()) as { events: { hex: string }[] };
      expect(msg.events).toHaveLength(300);
      expect(msg.events[299]!.hex).toBe(Array(256).fill('AB').join(' '));
    }
  });
});
