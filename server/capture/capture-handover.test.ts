import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHandover, type HandoverSide } from './capture-handover.ts';

const frame = (i: number): Uint8Array => new TextEncoder().encode(`frame ${i}`);

describe('capture handover', () => {
  it('passes each frame once and in capture order however the two overlapping captures interleave', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.array(fc.boolean(), { minLength: 200, maxLength: 200 }),
        fc.option(fc.integer({ min: 0, max: 59 })),
        (total, a, b, picks, lost) => {
          // The old capture saw frames [0, end); the new one [start, total), with start ≤ end (they overlap).
          // Their pipes are read in any order. Each capture may have lost one frame to its kernel buffer.
          const start = Math.min(a, total - 1);
          const end = Math.max(start, Math.min(b, total));
          const lostByOld = lost !== null && lost % 2 === 0 ? lost : -1;
          const lostByNew = lost !== null && lost % 2 === 1 ? lost : -1;
          const old = Array.from({ length: end }, (_, i) => i).filter((i) => i !== lostByOld);
          const fresh = Array.from({ length: total - start }, (_, i) => start + i).filter((i) => i !== lostByNew);
          const h = createHandover<number>();
          const out: number[] = [];
          let o = 0;
          let n = 0;
          let k = 0;
          const take = (side: HandoverSide, i: number): void => {
            out.push(...h.admit(side, frame(i), i));
          };
          while (o < old.length || n < fresh.length) {
            const pickOld = n >= fresh.length || (o < old.length && picks[k++ % picks.length]);
            if (pickOld) take('old', old[o++]!);
            else take('new', fresh[n++]!);
          }
          out.push(...h.oldStopped());
          // Every frame one of them saw, once, in order; only a frame the old capture lost (counted as dropped
          // by the kernel) may come late, as the old one's later frames may be read before the new one has it.
          const seen = Array.from({ length: total }, (_, i) => i).filter((i) => old.includes(i) || fresh.includes(i));
          if (lostByOld < 0) expect(out).toEqual(seen);
          else expect([...out].sort((x, y) => x - y)).toEqual(seen);
          expect(h.held()).toBeLessThanOrEqual(total);
        },
      ),
    );
  });

  it('holds the new capture\'s frames until the old one delivers them too, or stops', () => {
    const h = createHandover<number>();
    expect(h.admit('new', frame(3), 3)).toEqual([]);
    expect(h.admit('new', frame(4), 4)).toEqual([]);
    expect(h.admit('old', frame(2), 2)).toEqual([2]);
    expect(h.admit('old', frame(3), 3)).toEqual([3]);
    expect(h.duplicates).toBe(1);
    expect(h.admit('new', frame(5), 5)).toEqual([]);
    expect(h.oldStopped()).toEqual([4, 5]);
    expect(h.admit('new', frame(6), 6)).toEqual([6]);
    expect(h.done).toBe(true);
    expect(h.held()).toBe(0);
  });

  it('after the old capture stops, the new one goes on unfiltered and nothing stays held', () => {
    const h = createHandover<number>();
    for (let i = 0; i < 5; i++) expect(h.admit('old', frame(i), i)).toEqual([i]);
    expect(h.admit('new', frame(3), 3)).toEqual([]);
    expect(h.duplicates).toBe(1);
    expect(h.oldStopped()).toEqual([]);
    expect(h.done).toBe(false); // frame 4 may still come from the new capture
    expect(h.admit('new', frame(4), 4)).toEqual([]);
    expect(h.done).toBe(true);
    expect(h.held()).toBe(0);
    expect(h.admit('new', frame(4), 4)).toEqual([4]); // a later identical frame is a frame of its own
  });

  it('a frame the old capture never delivered ends the handover once it stopped', () => {
    const h = createHandover<number>();
    h.admit('old', frame(0), 0);
    h.admit('old', frame(1), 1);
    expect(h.oldStopped()).toEqual([]);
    expect(h.admit('new', frame(2), 2)).toEqual([2]);
    expect(h.done).toBe(true);
    expect(h.held()).toBe(0);
  });

  it('holds at most maxHeld frames per side', () => {
    const h = createHandover<number>(4);
    for (let i = 0; i < 100; i++) h.admit('old', frame(i), i);
    expect(h.held()).toBe(4);
    const g = createHandover<number>(4);
    const passed: number[] = [];
    for (let i = 0; i < 100; i++) passed.push(...g.admit('new', frame(i), i));
    expect(g.held()).toBe(4);
    expect(passed).toEqual(Array.from({ length: 96 }, (_, i) => i)); // the oldest go on, still in order
  });
});
