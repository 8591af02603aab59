// When the set of captured ports changes (a watch added or removed), tcpdump's kernel filter must change,
// and tcpdump cannot change it while it runs. So a new tcpdump starts with the new filter and the old one
// runs on until the new one captures: no gap. Meanwhile frames of the ports both filters cover arrive twice,
// once from each. This decides, frame by frame, that the first copy goes through and the second is dropped.
// Pure: frame bytes in, verdicts out; bounded.
export type HandoverSide = 'old' | 'new';

export interface Handover {
  /**
   * For a frame of a port both filters cover (the caller lets the others through: only one side sees them).
   * True when the frame goes on; false when it is the other side's copy of one that went already.
   */
  admit(from: HandoverSide, frame: Uint8Array): boolean;
  /** The old capture has stopped: from the first frame of the new one that it never delivered, the handover is over. */
  oldStopped(): void;
  /** Lets go of everything held: frames arriving later pass unchecked. */
  end(): void;
  /** Nothing is held any more: the caller may drop this object. */
  readonly done: boolean;
  /** Second copies dropped so far. Above 0, the two captures overlap: the old one can stop. */
  readonly duplicates: number;
  /** Frames remembered for matching, at most `maxHeld` per side. */
  held(): number;
}

/** Frames remembered per side: a handover lasts about a second, and two copies of a frame arrive close together. */
export const HANDOVER_MAX_HELD = 8192;

export function createHandover(maxHeld = HANDOVER_MAX_HELD): Handover {
  // Frame bytes (as a latin1 string: one allocation per frame, during the handover only) → how many copies
  // this side delivered that the other has not yet. Identical frames are rare on TCP (timestamps, numbers),
  // but a true duplicate on the wire is still counted as one per copy.
  const sides: Record<HandoverSide, Map<string, number>> = { old: new Map(), new: new Map() };
  let duplicates = 0;
  let oldGone = false;
  let done = false;

  function finish(): void {
    done = true;
    sides.old.clear();
    sides.new.clear();
  }

  return {
    admit(from, frame) {
      if (done) return true;
      if (from === 'old' && oldGone) return false; // its last frames after stop(): the new capture has them
      const key = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('latin1');
      const other = from === 'old' ? sides.new : sides.old;
      const n = other.get(key);
      if (n !== undefined) {
        // Both captures deliver in capture order: what the other side delivered before this frame, this side
        // has passed already or never saw (it started later, or stopped earlier). Either way it comes no more.
        for (const k of other.keys()) {
          if (k === key) break;
          other.delete(k);
        }
        if (n === 1) other.delete(key);
        else other.set(key, n - 1);
        duplicates++;
        if (oldGone && sides.old.size === 0) finish();
        return false;
      }
      if (from === 'new' && oldGone) {
        // The old capture stopped before this frame, so before every later one too: nothing more to match.
        finish();
        return true;
      }
      const mine = sides[from];
      mine.set(key, (mine.get(key) ?? 0) + 1);
      if (mine.size > maxHeld) mine.delete(mine.keys().next().value!);
      return true;
    },
    end: finish,
    oldStopped() {
      oldGone = true;
      sides.new.clear();
      if (sides.old.size === 0) finish();
    },
    get done() {
      return done;
    },
    get duplicates() {
      return duplicates;
    },
    held: () => sides.old.size + sides.new.size,
  };
}
