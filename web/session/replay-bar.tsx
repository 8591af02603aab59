// The time scrubber of a session file: play at 0.25×–8×, drag to any moment, step event by event. Every
// view follows, because the controller feeds the same store the live socket does.
import { useEffect, useSyncExternalStore } from 'react';
import { REPLAY_SPEEDS, type ReplaySpeed } from '../../shared/view-link.ts';
import { clockTime } from '../format/describe-event.ts';
import type { ReplayController } from './replay-controller.ts';
import { writeViewLink } from './view-link.ts';

const LINK_SETTLE_MS = 250;

export function ReplayBar({ controller, onLeave }: { controller: ReplayController; onLeave(): void }) {
  const s = useSyncExternalStore(controller.subscribe, controller.getState);

  // The address remembers where the scrubber stands once it rests: not 60 times a second while it plays or is dragged.
  useEffect(() => {
    if (s.playing) return;
    const timer = setTimeout(() => writeViewLink({ at: s.clock, speed: s.speed === 1 ? undefined : s.speed }), LINK_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [s.playing, s.clock, s.speed]);

  // ← and → step, Home and End jump to the start and the end, space plays, unless the user is typing
  // somewhere, or a list that moves its own selection with the key (the packet list) took it.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      if (el && (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA') && (el as HTMLInputElement).type !== 'range') return;
      if (e.key === 'Home' || e.key === 'End') {
        e.preventDefault();
        if (e.key === 'Home') controller.toStart();
        else controller.toEnd();
      } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
        e.preventDefault();
        controller.step(e.key === 'ArrowRight' ? 1 : -1);
      } else if (e.key === ' ' && el?.tagName !== 'BUTTON') {
        e.preventDefault();
        if (controller.getState().playing) controller.pause();
        else controller.play();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller]);

  return (
    <div className="replay-bar" role="region" aria-label="Session replay" data-testid="replay-bar">
      <span className="badge">session file</span>
      <span className="replay-name" title={s.name}>
        {s.name}
      </span>
      <button type="button" aria-label="Jump to the start (Home)" title="Jump to the start (Home)" data-testid="replay-start" disabled={s.position === 0} onClick={() => controller.toStart()}>
        ⏮︎
      </button>
      <button type="button" aria-label="Step back one event" data-testid="replay-step-back" disabled={s.position === 0} onClick={() => controller.step(-1)}>
        ◀︎
      </button>
      <button type="button" className="primary" data-testid="replay-play" onClick={() => (s.playing ? controller.pause() : controller.play())}>
        {s.playing ? 'Pause' : s.position >= s.length ? 'Replay' : 'Play'}
      </button>
      <button type="button" aria-label="Step forward one event" data-testid="replay-step-forward" disabled={s.position >= s.length} onClick={() => controller.step(1)}>
        ▶︎
      </button>
      <button type="button" aria-label="Jump to the end (End)" title="Jump to the end (End)" data-testid="replay-end" disabled={s.position >= s.length} onClick={() => controller.toEnd()}>
        ⏭︎
      </button>
      <select aria-label="Replay speed" data-testid="replay-speed" value={s.speed} onChange={(e) => controller.setSpeed(Number(e.target.value) as ReplaySpeed)}>
        {REPLAY_SPEEDS.map((v) => (
          <option key={v} value={v}>
            {v}×
          </option>
        ))}
      </select>
      <input
        className="replay-slider"
        type="range"
        aria-label="Replay position"
        data-testid="replay-slider"
        min={0}
        max={Math.max(s.duration, 0)}
        step="any"
        value={s.clock}
        disabled={s.length === 0}
        onChange={(e) => {
          controller.pause();
          controller.seekTime(Number(e.target.value));
        }}
      />
      <span className="replay-position mono" data-testid="replay-position" data-position={s.position} data-length={s.length}>
        event {s.position.toLocaleString()} of {s.length.toLocaleString()} · +{formatOffset(s.clock)}
        {s.length > 0 ? ` · ${clockTime(s.t0 + s.clock)}` : ''}
      </span>
      <span className="grow" />
      <button type="button" onClick={onLeave} title="Close the file and show the live server again">
        Back to live
      </button>
    </div>
  );
}

function formatOffset(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(3)} s`;
}
