import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHandover, type HandoverSide } from './capture-handover.ts';

const frame = (i: number): Uint8Array => new TextEncoder().encode(`frame ${i}`);

describe('capture handover', () => {
  it('passes each frame once however the two overlapping captures interleave, in order once the old one delivered what it alone saw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.array(fc.boolean(), { minLength: 200, maxLength: 200 }),
        (total, a, b, picks) => {
          // The old capture saw frames [0, end); the new one [start, total), with start ≤ end (they overlap).
          const start = Math.min(a, total - 1);
          const end = Math.max(start, Math.min(b, total));
          const old = Array.from({ length: end }, (_, i) => i);
          const fresh = Array.from({ length: total - start }, (_, i) => start + i);
          const h = createHandover();
          const out: number[] = [];
          let o = 0;
          let n = 0;
          let k = 0;
          const take = (side: HandoverSide, i: number): void => {
            if (h.admit(side, frame(i))) out.push(i);
          };
          // The new capture starts some time after the old: the old one's own frames may still be in its pipe.
          const lagging = picks[199]!;
          if (!lagging) while (o < start) take('old', old[o++]!);
          while (o < old.length || n < fresh.length) {
            const pickOld = n >= fresh.length || (o < old.length && picks[k++ % picks.length]);
            if (pickOld) take('old', old[o++]!);
            else take('new', fresh[n++]!);
          }
          const all = Array.from({ length: total }, (_, i) => i);
          if (lagging) expect([...out].sort((x, y) => x - y)).toEqual(all);
          else expect(out).toEqual(all);
          expect(h.held()).toBeLessThanOrEqual(total);
        },
      ),
    );
  });

  it('after the old capture stops, the new one goes on unfiltered and nothing stays held', () => {
    const h = createHandover();
    for (let i = 0; i < 5; i++) expect(h.admit('old', frame(i))).toBe(true);
    expect(h.admit('new', frame(3))).toBe(false);
    expect(h.duplicates).toBe(1);
    h.oldStopped();
    expect(h.done).toBe(false); // frame 4 may still come from the new capture
    expect(h.admit('new', frame(4))).toBe(false);
    expect(h.done).toBe(true);
    expect(h.held()).toBe(0);
    expect(h.admit('new', frame(4))).toBe(true); // a later identical frame is a frame of its own
  });

  it('a frame the old capture never delivered ends the handover once it stopped', () => {
    const h = createHandover();
    h.admit('old', frame(0));
    h.admit('old', frame(1));
    h.oldStopped();
    expect(h.admit('new', frame(2))).toBe(true);
    expect(h.done).toBe(true);
    expect(h.held()).toBe(0);
  });

  it('holds at most maxHeld frames per side', () => {
    const h = createHandover(4);
    for (let i = 0; i < 100; i++) h.admit('old', frame(i));
    expect(h.held()).toBe(4);
  });
});
