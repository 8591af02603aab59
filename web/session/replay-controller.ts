// Plays a session file into the page's store: a clock that runs at 0.25×–8× (or stands still while the
// user scrubs and steps) and a cursor that turns the clock into the same messages the live socket sends.
// React reads its state through subscribe/getState; the views read the store as always.
import type { SessionDocument } from '../../shared/session.ts';
import type { ReplaySpeed } from '../../shared/view-link.ts';
import type { EventStore } from '../stream/event-store.ts';
import { ReplayCursor } from './replay-cursor.ts';

export interface ReplayState {
  /** The file's name, or its address. */
  name: string;
  /** Events shown: the first `position` of the file. */
  position: number;
  length: number;
  /** Milliseconds after the first event. */
  clock: number;
  duration: number;
  playing: boolean;
  speed: ReplaySpeed;
  /** Wall-clock time of the first event, for display. */
  t0: number;
}

export class ReplayController {
  readonly cursor: ReplayCursor;
  private state: ReplayState;
  private readonly listeners = new Set<() => void>();
  private frame = 0;
  private lastFrameAt = 0;
  /** The store has had its first snapshot from this file. */
  private fed = false;

  constructor(
    private readonly store: EventStore,
    readonly session: SessionDocument,
    name: string,
    options: { at?: number; speed?: ReplaySpeed } = {},
  ) {
    this.cursor = new ReplayCursor(session);
    // Without a position in the link, open at the end: the whole session, as it was when saved.
    const clock = Math.min(options.at ?? this.cursor.duration, this.cursor.duration);
    this.state = {
      name,
      position: 0,
      length: this.cursor.length,
      clock,
      duration: this.cursor.duration,
      playing: false,
      speed: options.speed ?? 1,
      t0: this.cursor.t0,
    };
    this.moveTo(this.cursor.positionAt(clock), clock);
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getState = (): ReplayState => this.state;

  play(): void {
    if (this.state.playing) return;
    if (this.state.position >= this.state.length) this.moveTo(0, 0);
    this.set({ playing: true });
    this.lastFrameAt = performance.now();
    this.frame = requestAnimationFrame(this.tick);
  }

  pause(): void {
    cancelAnimationFrame(this.frame);
    if (this.state.playing) this.set({ playing: false });
  }

  setSpeed(speed: ReplaySpeed): void {
    this.set({ speed });
  }

  /** The scrubber: everything that happened up to `ms` after the first event. */
  seekTime(ms: number): void {
    const clock = Math.max(0, Math.min(this.state.duration, ms));
    this.moveTo(this.cursor.positionAt(clock), clock);
  }

  /** One event forward (+1) or back (-1). */
  step(delta: 1 | -1): void {
    this.pause();
    const position = Math.max(0, Math.min(this.state.length, this.state.position + delta));
    this.moveTo(position, this.cursor.timeOf(position));
  }

  /** Home: the start of the session, before its first event. */
  toStart(): void {
    this.pause();
    this.moveTo(0, 0);
  }

  /** End: the whole session, as it was saved. */
  toEnd(): void {
    this.pause();
    this.moveTo(this.state.length, this.state.duration);
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.listeners.clear();
  }

  private readonly tick = (now: number): void => {
    if (!this.state.playing) return;
    const clock = Math.min(this.state.duration, this.state.clock + (now - this.lastFrameAt) * this.state.speed);
    this.lastFrameAt = now;
    this.moveTo(Math.max(this.state.position, this.cursor.positionAt(clock)), clock);
    if (this.state.position >= this.state.length) this.pause();
    else this.frame = requestAnimationFrame(this.tick);
  };

  /** Forward is a batch (cheap); backward rebuilds from the start as a snapshot. */
  private moveTo(position: number, clock: number): void {
    if (!this.fed || position < this.cursor.position) {
      this.store.replay(this.cursor.seek(position));
      this.fed = true;
    } else if (position > this.cursor.position) {
      this.store.replay(this.cursor.advanceTo(position));
    }
    this.set({ position: this.cursor.position, clock });
  }

  private set(patch: Partial<ReplayState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }
}
