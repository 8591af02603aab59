// The built-in client's harder options, behind "More…": how each write is framed, how each frame is cut
// into pieces, the pause between pieces, and closing with the replies unread. The simple burst never needs
// them, so they stay out of the toolbar until asked for.
import { useEffect, useRef, type ReactNode } from 'react';
import { BURST_INTERVAL_MS_MAX, BURST_INTERVAL_MS_MIN } from '../../shared/limits.ts';
import { SPLIT_PIECE_MAX_BYTES, SPLIT_RANDOM_MAX_DEFAULT } from '../../shared/chaos-split.ts';
import type { Framing } from '../../shared/config.ts';
import { escapePayload } from '../format/escapes.ts';
import { type BurstDraft, type ClientFraming, type DraftField, SIMPLE_OPTIONS, type SplitChoice } from './burst-request.ts';

type Options = Pick<BurstDraft, keyof typeof SIMPLE_OPTIONS>;

const SPLIT_LABELS: Record<SplitChoice, string> = {
  none: 'none (one write per message)',
  fixed: 'every k bytes',
  random: 'chaos (seeded sizes)',
};

/** "delimiter \n", "fixed 7 B", "2-byte prefix": the server's framing in a few characters. */
export function framingShort(f: Framing | null): string {
  if (f === null) return 'unknown';
  switch (f.mode) {
    case 'raw':
      return 'raw';
    case 'delimiter':
      return `delimiter ${escapePayload(f.delimiter)}`;
    case 'fixed':
      return `fixed ${f.size} B`;
    case 'length-prefix':
      return `${f.prefixBytes}-byte prefix`;
  }
}

/** What differs from the simple burst, in a line: "server framing · chaos seed 42 · gap 5 ms · replies unread". */
export function optionsSummary(o: Options): string {
  const parts: string[] = [];
  if (o.framing !== 'raw') parts.push(`${o.framing === 'length-prefix' ? 'length-prefix' : o.framing} framing`);
  if (o.split === 'fixed') parts.push(`${o.splitSize} B pieces`);
  if (o.split === 'random') parts.push(`chaos seed ${o.seed}`);
  if (o.chunkGapMs.trim() !== '' && Number(o.chunkGapMs) !== 0) parts.push(`gap ${o.chunkGapMs} ms`);
  if (o.leaveRepliesUnread) parts.push('replies unread');
  return parts.join(' · ');
}

export function BurstOptions(props: {
  id: string;
  draft: BurstDraft;
  update(patch: Partial<BurstDraft>): void;
  invalid: DraftField | null;
  serverFraming: Framing | null;
  /** A note under the fields (a warning about the payload, say). */
  note?: ReactNode;
  onClose(): void;
}) {
  const { draft, update, invalid, serverFraming } = props;
  const panel = useRef<HTMLDivElement>(null);
  // Opened by a refused send, the options put the cursor in the field at fault; otherwise at the top.
  useEffect(() => {
    const el = panel.current;
    (el?.querySelector<HTMLElement>('[aria-invalid=true]') ?? el?.querySelector<HTMLElement>('select'))?.focus();
  }, []);

  const framingLabels: Record<ClientFraming, string> = {
    raw: 'raw (payload as is)',
    server: `same as server (${framingShort(serverFraming)})`,
    delimiter: 'delimiter \\n',
    'length-prefix': 'length prefix, 2 bytes',
  };
  const isDefault = (Object.keys(SIMPLE_OPTIONS) as (keyof Options)[]).every((k) => draft[k] === SIMPLE_OPTIONS[k]);

  return (
    <div
      id={props.id}
      ref={panel}
      className="burst-options"
      role="group"
      aria-label="Burst options"
      data-testid="burst-options"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          props.onClose();
        }
      }}
    >
      <label className="opt-label" htmlFor={`${props.id}-framing`}>
        Framing
      </label>
      <div className="opt-field">
        <select
          id={`${props.id}-framing`}
          aria-label="Client framing"
          title="How the client frames each write; it may differ from the server's framing on purpose"
          value={draft.framing}
          onChange={(e) => update({ framing: e.target.value as ClientFraming })}
        >
          {(Object.keys(framingLabels) as ClientFraming[]).map((f) => (
            <option key={f} value={f}>
              {framingLabels[f]}
            </option>
          ))}
        </select>
      </div>

      <label className="opt-label" htmlFor={`${props.id}-split`}>
        Split
      </label>
      <div className="opt-field">
        <select
          id={`${props.id}-split`}
          aria-label="Split"
          title="Cut each framed message into pieces, each its own write"
          value={draft.split}
          onChange={(e) => update({ split: e.target.value as SplitChoice })}
        >
          {(Object.keys(SPLIT_LABELS) as SplitChoice[]).map((s) => (
            <option key={s} value={s}>
              {SPLIT_LABELS[s]}
            </option>
          ))}
        </select>
        {draft.split === 'fixed' && (
          <>
            <input
              className="num narrow"
              aria-label="Piece size"
              aria-invalid={invalid === 'splitSize' || undefined}
              title={`Bytes per piece, 1–${SPLIT_PIECE_MAX_BYTES}; the last piece of a message may be shorter`}
              type="number"
              min={1}
              max={SPLIT_PIECE_MAX_BYTES}
              value={draft.splitSize}
              onChange={(e) => update({ splitSize: e.target.value })}
            />
            <span className="unit">B</span>
          </>
        )}
        {draft.split === 'random' && (
          <>
            <span className="unit">seed</span>
            <input
              className="num seed"
              aria-label="Seed"
              aria-invalid={invalid === 'seed' || undefined}
              title="0–4294967295: the same seed cuts the same way, so a run that broke something can be repeated"
              type="number"
              min={0}
              max={0xffffffff}
              value={draft.seed}
              onChange={(e) => update({ seed: e.target.value })}
            />
            <span className="unit">pieces 1–{SPLIT_RANDOM_MAX_DEFAULT} B</span>
          </>
        )}
      </div>

      <label className="opt-label" htmlFor={`${props.id}-gap`}>
        Gap
      </label>
      <div className="opt-field">
        <input
          id={`${props.id}-gap`}
          className="num narrow"
          aria-label="Gap (ms)"
          aria-invalid={invalid === 'chunkGapMs' || undefined}
          title={`Gap between two pieces, ${BURST_INTERVAL_MS_MIN}–${BURST_INTERVAL_MS_MAX} ms; with no gap and no interval all writes leave together`}
          type="number"
          min={BURST_INTERVAL_MS_MIN}
          max={BURST_INTERVAL_MS_MAX}
          placeholder="0"
          value={draft.chunkGapMs}
          onChange={(e) => update({ chunkGapMs: e.target.value })}
        />
        <span className="unit">ms between pieces</span>
      </div>

      <span className="opt-label">Close</span>
      <div className="opt-field">
        <label className="check" title="Close with the server's replies still unread: the kernel answers the close with a reset (RST)">
          <input type="checkbox" checked={draft.leaveRepliesUnread} onChange={(e) => update({ leaveRepliesUnread: e.target.checked })} />
          close without reading replies
        </label>
      </div>

      <div className="opt-foot">
        {props.note ?? <span className="muted small-text">Each message is framed, then cut; every piece is one write.</span>}
        <span className="grow" />
        <button
          type="button"
          className="small"
          disabled={isDefault}
          onClick={() => update(SIMPLE_OPTIONS)}
        >
          Reset
        </button>
      </div>
    </div>
  );
}
