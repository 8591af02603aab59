import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_HEX_MAX_BYTES } from '../../shared/limits.ts';
import { toHex } from '../../shared/hex.ts';
import { chunkKindCode } from './chunk-columns.ts';
import { EventStore } from './event-store.ts';
import { type StoredEvent, toWire } from './stored-event.ts';

type Spec = { chunk: true; kind: 'read' | 'write' | 'reply'; connId: number; length: number } | { chunk: false; connId: number };

/** Appends the same events to the store and to a plain list of objects: the model of what the store should give back. */
function fill(store: EventStore, specs: Spec[], gaps: readonly number[] = []): StoredEvent[] {
  let seq = 0;
  return specs.map((s, i) => {
    // A gap is seqs given to chunks that were only counted (past the detail budget): never stored.
    seq += 1 + (gaps[i] ?? 0);
    if (!s.chunk) {
      const e: StoredEvent = { kind: 'close', seq, t: seq, connId: s.connId, reason: 'end' };
      store.push(e);
      return e;
    }
    const src = Uint8Array.from({ length: s.length }, (_, k) => (seq + k) & 0xff);
    const keep = Math.min(s.length, EVENT_HEX_MAX_BYTES);
    store.pushChunk(chunkKindCode(s.kind), seq, seq + 0.5, s.connId, seq * 10, s.length, src, keep);
    return { kind: s.kind, seq, t: seq + 0.5, connId: s.connId, offset: seq * 10, length: s.length, bytes: src.slice(0, keep), truncated: keep < s.length };
  });
}

const spec: fc.Arbitrary<Spec> = fc.oneof(
  fc.record({
    chunk: fc.constant(true as const),
    kind: fc.constantFrom('read' as const, 'write' as const, 'reply' as const),
    connId: fc.integer({ min: 1, max: 3 }),
    length: fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: EVENT_HEX_MAX_BYTES - 2, max: EVENT_HEX_MAX_BYTES + 100 })),
  }),
  fc.record({ chunk: fc.constant(false as const), connId: fc.integer({ min: 1, max: 3 }) }),
);

describe('EventStore', () => {
  it('gives back the newest events as the objects they stand for, bytes and all, across wrap-arounds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(spec, { maxLength: 40 }), (capacity, specs) => {
        const store = new EventStore(capacity);
        const all = fill(store, specs);
        const held = all.slice(-capacity);
        expect(store.length).toBe(held.length);
        expect(store.query({ limit: 100 })).toEqual(held);
        expect(store.query({ kind: 'read', connId: 2, limit: 100 })).toEqual(held.filter((e) => e.kind === 'read' && e.connId === 2));
        expect(store.query({ kind: 'close', limit: 1 })).toEqual(held.filter((e) => e.kind === 'close').slice(-1));
        for (const e of all) {
          const isHeld = held.includes(e);
          expect(store.bySeq(e.seq)).toEqual(isHeld ? e : undefined);
          expect(store.wireBySeq(e.seq, 3)).toEqual(isHeld ? toWire(e, 3) : undefined);
        }
      }),
    );
  });

  it('finds every held event by seq, and no other, when seqs have gaps (summarised chunks are numbered, not stored)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.tuple(spec, fc.oneof(fc.constant(0), fc.nat(5))), { maxLength: 40 }), (capacity, pairs) => {
        const store = new EventStore(capacity);
        const all = fill(store, pairs.map(([s]) => s), pairs.map(([, g]) => g));
        const held = all.slice(-capacity);
        expect(store.query({ limit: 100 })).toEqual(held);
        const last = all.at(-1)?.seq ?? 0;
        for (let seq = 0; seq <= last + 1; seq++) {
          const e = held.find((x) => x.seq === seq);
          expect(store.bySeq(seq)).toEqual(e);
          expect(store.wireBySeq(seq, 3)).toEqual(e && toWire(e, 3));
        }
      }),
    );
  });

  it('formats the wire form straight from the kept bytes', () => {
    const store = new EventStore(2);
    const src = Uint8Array.from([0x48, 0x65, 0x6c, 0x6c, 0x6f]);
    store.pushChunk(chunkKindCode('read'), 1, 5, 1, 0, 5, src, 5);
    expect(store.wireBySeq(1, 256)).toEqual({ kind: 'read', seq: 1, t: 5, connId: 1, offset: 0, length: 5, truncated: false, hex: toHex(src) });
    expect(store.wireBySeq(1, 2)).toMatchObject({ hex: '48 65', truncated: true });
    expect(store.wireBySeq(2, 2)).toBeUndefined();
  });

  it('past its byte cap gives the oldest chunks no bytes and `truncated`, with their counts, and the newest whole', () => {
    // 10 events of 4 KiB in a store capped at 4 of them: the ring writes over the oldest.
    const store = new EventStore(10, 4 * EVENT_HEX_MAX_BYTES);
    const model = fill(store, Array.from({ length: 10 }, () => ({ chunk: true as const, kind: 'read' as const, connId: 1, length: EVENT_HEX_MAX_BYTES })));
    const wire = model.map((e) => store.wireBySeq(e.seq, EVENT_HEX_MAX_BYTES)!);
    const lost = wire.filter((e) => 'hex' in e && e.hex === '');
    expect(lost.length).toBeGreaterThan(0);
    // The lost ones are the oldest, and only their bytes are gone.
    expect(wire.slice(0, lost.length)).toEqual(lost);
    for (const [i, e] of wire.entries()) {
      const m = model[i] as Extract<StoredEvent, { kind: 'read' }>;
      expect(e).toMatchObject({ seq: m.seq, length: m.length, offset: m.offset, t: m.t });
      if (i < lost.length) expect(e).toMatchObject({ truncated: true, hex: '' });
      else expect(e).toEqual(toWire(m, EVENT_HEX_MAX_BYTES));
    }
    // The same through the objects a query builds.
    const queried = store.query({ limit: 10 });
    expect(queried.slice(0, lost.length).every((e) => e.kind === 'read' && e.bytes.length === 0 && e.truncated)).toBe(true);
    expect(queried.slice(lost.length)).toEqual(model.slice(lost.length));
  });
});
