// When the set of captured ports changes (a watch added or removed), tcpdump's kernel filter must change,
// and tcpdump cannot change it while it runs. So a new tcpdump starts with the new filter and the old one
// runs on until the new one captures: no gap. Meanwhile frames of the ports both filters cover arrive twice,
// once from each, through two pipes read in no fixed order. This merges the two into one stream in capture
// order with each frame once: the old capture leads; the new one's frames wait until the old one delivers
// the same frame (then the ones before it, which the old one missed, go first) or stops (then all go).
// Pure: frame bytes in, items out in order; bounded.
export type HandoverSide = 'old' | 'new';

export interface Handover<T> {
  /**
   * For a frame of a port both filters cover (the caller lets the others through: only one side sees them).
   * Returns the items to pass on now, in capture order: none, this one, or held ones of the new capture
   * before it. `item` must own its bytes when it comes from the new capture: it may be held.
   */
  admit(from: HandoverSide, frame: Uint8Array, item: T): T[];
  /** The old capture has stopped and delivered its last frame: the new capture's held frames, in order. */
  oldStopped(): T[];
  /** Lets go of everything: the held frames, in order; frames arriving later pass unchecked. */
  end(): T[];
  /** Nothing is held any more: the caller may drop this object. */
  readonly done: boolean;
  /** Second copies dropped so far. Above 0, the two captures overlap: the old one can stop. */
  readonly duplicates: number;
  /** Frames remembered for matching or held for order. */
  held(): number;
}

/** Frames remembered per side: a handover lasts about a second, and two copies of a frame arrive close together. */
export const HANDOVER_MAX_HELD = 8192;

interface Held<T> {
  key: string;
  item: T;
}

export function createHandover<T>(maxHeld = HANDOVER_MAX_HELD): Handover<T> {
  // Frame bytes (as a latin1 string: one allocation per frame, during the handover only) are the key.
  // Identical frames are rare on TCP (timestamps, numbers), but a true duplicate on the wire is still
  // counted as one per copy.
  /** Frames the old capture passed on that the new one has not delivered yet → how many copies. */
  const passedOld = new Map<string, number>();
  /** The new capture's frames the old one has not delivered yet, in capture order, from `head`. */
  let heldNew: Held<T>[] = [];
  let head = 0;
  const heldKeys = new Map<string, number>();
  let duplicates = 0;
  let oldGone = false;
  let done = false;

  const keyOf = (frame: Uint8Array): string => Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('latin1');

  /** Takes heldNew[head, end) out, in order. */
  function release(end: number): T[] {
    const out: T[] = [];
    for (; head < end; head++) {
      const h = heldNew[head]!;
      const n = heldKeys.get(h.key)!;
      if (n === 1) heldKeys.delete(h.key);
      else heldKeys.set(h.key, n - 1);
      out.push(h.item);
    }
    if (head === heldNew.length) {
      heldNew = [];
      head = 0;
    }
    return out;
  }

  function finish(): T[] {
    const out = release(heldNew.length);
    done = true;
    passedOld.clear();
    return out;
  }

  return {
    admit(from, frame, item) {
      if (done) return [item];
      const key = keyOf(frame);
      if (from === 'old') {
        if (oldGone) return []; // cannot happen once its pipe closed; nothing of it may jump ahead then
        if (heldKeys.has(key)) {
          // The new capture delivered this one already: the ones it holds before it, the old one missed
          // (dropped by its kernel buffer); in capture order they come first. This copy goes for both.
          let at = head;
          while (heldNew[at]!.key !== key) at++;
          const out = release(at);
          release(head + 1);
          duplicates++;
          out.push(item);
          return out;
        }
        passedOld.set(key, (passedOld.get(key) ?? 0) + 1);
        if (passedOld.size > maxHeld) passedOld.delete(passedOld.keys().next().value!);
        return [item];
      }
      const n = passedOld.get(key);
      if (n !== undefined) {
        // Both captures deliver in capture order: what the old one passed before this frame, the new one
        // never saw (it started later). It comes no more.
        for (const k of passedOld.keys()) {
          if (k === key) break;
          passedOld.delete(k);
        }
        if (n === 1) passedOld.delete(key);
        else passedOld.set(key, n - 1);
        duplicates++;
        if (oldGone && passedOld.size === 0) finish();
        return [];
      }
      if (oldGone) {
        // The old capture stopped before this frame, so before every later one too: nothing more to match.
        finish();
        return [item];
      }
      // The old capture may still deliver this frame, or ones before it: it waits.
      heldNew.push({ key, item });
      heldKeys.set(key, (heldKeys.get(key) ?? 0) + 1);
      // Past the bound the old capture has fallen far behind: its oldest held frame goes on unmatched.
      return heldNew.length - head > maxHeld ? release(head + 1) : [];
    },
    oldStopped() {
      oldGone = true;
      const out = release(heldNew.length);
      if (passedOld.size === 0) finish();
      return out;
    },
    end: finish,
    get done() {
      return done;
    },
    get duplicates() {
      return duplicates;
    },
    held: () => passedOld.size + heldNew.length - head,
  };
}
