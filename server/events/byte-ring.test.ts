import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteRing } from './byte-ring.ts';

describe('ByteRing', () => {
  it('copies the first count bytes of a longer source', () => {
    const ring = new ByteRing(2, 4);
    const pos = ring.write(Uint8Array.from([1, 2, 3, 4, 5, 6]), 4);
    expect(ring.copy(pos, 4)).toEqual(Uint8Array.from([1, 2, 3, 4]));
  });

  it('copies what a reused source holds at each write, whatever part of it each write keeps', () => {
    // One read buffer serves every read; the ring's view of its first bytes is made once and reused.
    const ring = new ByteRing(8, 4);
    const a = new Uint8Array(6);
    const b = new Uint8Array(6);
    const writes: { pos: number; bytes: Uint8Array }[] = [];
    for (const [fill, count, src] of [[1, 2, a], [2, 2, a], [3, 3, a], [4, 3, b], [5, 2, a], [6, 2, b]] as const) {
      src.fill(fill);
      writes.push({ pos: ring.write(src, count), bytes: new Uint8Array(count).fill(fill) });
    }
    for (const w of writes) expect(ring.copy(w.pos, w.bytes.length)).toEqual(w.bytes);
  });

  it('starts a keep that does not fit before the end at position 0', () => {
    const ring = new ByteRing(2, 4); // 12 bytes
    expect(ring.offsetOf(ring.write(new Uint8Array(4), 4))).toBe(0);
    expect(ring.offsetOf(ring.write(new Uint8Array(4), 4))).toBe(4);
    expect(ring.offsetOf(ring.write(new Uint8Array(3), 3))).toBe(8);
    expect(ring.offsetOf(ring.write(new Uint8Array(2), 2))).toBe(0);
  });

  it('keeps the newest `keeps` keeps intact whatever their sizes, across many wrap-arounds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 16 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 200 }),
        (keeps, maxKeep, sizes, initial) => {
          const ring = new ByteRing(keeps, maxKeep, initial);
          const held: { pos: number; bytes: Uint8Array }[] = [];
          sizes.forEach((s, i) => {
            const n = s % (maxKeep + 1);
            // A source longer than the keep, so that only its first n bytes may be copied.
            const src = Uint8Array.from({ length: n + 3 }, (_, k) => (i * 31 + k * 7) & 0xff);
            const pos = ring.write(src, n);
            expect(ring.offsetOf(pos) + n).toBeLessThanOrEqual(ring.bytes.length);
            held.push({ pos, bytes: src.slice(0, n) });
            if (held.length > keeps) held.shift();
            for (const h of held) expect(ring.copy(h.pos, h.bytes.length)).toEqual(h.bytes);
          });
        },
      ),
    );
  });

  it('hands out copies that outlive the bytes they came from', () => {
    const ring = new ByteRing(1, 2);
    const pos = ring.write(Uint8Array.from([7, 8]), 2);
    const kept = ring.copy(pos, 2);
    for (let i = 0; i < 4; i++) ring.write(Uint8Array.from([0, 0]), 2);
    expect(kept).toEqual(Uint8Array.from([7, 8]));
  });

  it('starts small and grows only as far as the newest keeps need, never past its full size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 64 }), fc.array(fc.nat(), { maxLength: 400 }), (keeps, maxKeep, sizes) => {
        const ring = new ByteRing(keeps, maxKeep, 1);
        const start = ring.allocatedBytes;
        let largest = 0;
        for (const s of sizes) {
          const n = s % (maxKeep + 1);
          largest = Math.max(largest, n);
          ring.write(new Uint8Array(n), n);
          expect(ring.allocatedBytes).toBeLessThanOrEqual(ring.maxBytes);
        }
        // Keeps of at most `largest` bytes never need more than twice what (keeps + 1) of them take.
        expect(ring.allocatedBytes).toBeLessThanOrEqual(Math.max(start, 2 * (keeps + 1) * largest));
      }),
    );
  });

  it('holds 20,000 reads of 7 bytes in well under a megabyte', () => {
    const ring = new ByteRing(20000, 4096);
    for (let i = 0; i < 100_000; i++) ring.write(new Uint8Array(7), 7);
    expect(ring.allocatedBytes).toBeLessThan(1024 * 1024);
    expect(ring.maxBytes).toBe(20001 * 4096);
  });

  it('grows to its full size under keeps of 4 KiB and keeps the newest 20,000 intact (the store\'s own numbers)', () => {
    const ring = new ByteRing(20000, 4096);
    const held: { pos: number; tag: number; n: number }[] = [];
    for (let i = 0; i < 45_000; i++) {
      const n = i % 3 === 0 ? 4096 : 1 + ((i * 7919) % 4096);
      const src = new Uint8Array(n).fill(i & 0xff);
      held.push({ pos: ring.write(src, n), tag: i & 0xff, n });
      if (held.length > 20000) held.shift();
    }
    expect(ring.allocatedBytes).toBe(ring.maxBytes);
    for (const h of held.filter((_, k) => k % 97 === 0 || k === held.length - 1)) {
      const got = ring.copy(h.pos, h.n);
      expect(got.length).toBe(h.n);
      expect(got.every((b) => b === h.tag)).toBe(true);
    }
  });

  it('at a cap, never allocates past it, and says exactly which keeps it wrote over; the others are intact', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 300 }),
        (keeps, maxKeep, capKeeps, sizes) => {
          const cap = capKeeps * maxKeep;
          const ring = new ByteRing(keeps, maxKeep, 1, cap);
          const held: { pos: number; bytes: Uint8Array }[] = [];
          sizes.forEach((s, i) => {
            const n = s % (maxKeep + 1);
            const src = Uint8Array.from({ length: n }, (_, k) => (i * 31 + k * 7) & 0xff);
            held.push({ pos: ring.write(src, n), bytes: src });
            if (held.length > keeps) held.shift();
            expect(ring.allocatedBytes).toBeLessThanOrEqual(Math.max(cap, maxKeep));
            // Scanning from the newest: once one keep is gone, every older one is too.
            let gone = false;
            for (const h of [...held].reverse()) {
              const holds = ring.holds(h.pos);
              if (gone) expect(holds).toBe(false);
              if (!holds) gone = true;
              else expect(ring.copy(h.pos, h.bytes.length)).toEqual(h.bytes);
            }
            // The newest keep always survives its own write.
            expect(ring.holds(held.at(-1)!.pos)).toBe(true);
          });
        },
      ),
    );
  });

  it("keeps the newest 2,048 keeps of 4 KiB under the store's cap of 8 MiB, and gives up older ones", () => {
    const ring = new ByteRing(20000, 4096, undefined, 8 * 1024 * 1024);
    const held: { pos: number; tag: number }[] = [];
    for (let i = 0; i < 5000; i++) held.push({ pos: ring.write(new Uint8Array(4096).fill(i & 0xff), 4096), tag: i & 0xff });
    expect(ring.allocatedBytes).toBe(8 * 1024 * 1024);
    const kept = held.filter((h) => ring.holds(h.pos));
    expect(kept.length).toBeGreaterThanOrEqual(2048);
    expect(kept).toEqual(held.slice(held.length - kept.length));
    for (const h of kept) expect(ring.copy(h.pos, 4096).every((b) => b === h.tag)).toBe(true);
  });
});
