// The built-in client: one new connection, `count` writes of the payload. With no interval the
// writes are corked and leave together, which is how three writes become one read. "More…" holds the
// harder options (framing, split, gaps, replies left unread); the page checks the burst with the
// server's own schema, and the server's refusal, if it still refuses, is shown in its words.
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import {
  BURST_COUNT_DEFAULT,
  BURST_COUNT_MAX,
  BURST_COUNT_MIN,
  BURST_INTERVAL_MS_DEFAULT,
  BURST_INTERVAL_MS_MAX,
  BURST_INTERVAL_MS_MIN,
  BURST_PAYLOAD_DEFAULT,
} from '../../shared/limits.ts';
import { burstTarget } from '../watch/burst-target.ts';
import { api } from '../api.ts';
import { formatBytes } from '../format/describe-event.ts';
import { escapePayload } from '../format/escapes.ts';
import { useStoreView } from '../stream/event-store.ts';
import { BurstOptions, optionsSummary } from './burst-options.tsx';
import { type BurstDraft, burstSize, checkBurst, doubledDelimiter, type DraftField, framingOnWire, SIMPLE_OPTIONS } from './burst-request.ts';
import { useCommand } from './notice.tsx';
import './burst.css';

const INITIAL: BurstDraft = {
  count: String(BURST_COUNT_DEFAULT),
  payload: escapePayload(BURST_PAYLOAD_DEFAULT),
  intervalMs: String(BURST_INTERVAL_MS_DEFAULT),
  noDelay: true,
  ...SIMPLE_OPTIONS,
};

/** The fields that live behind "More…": a refusal of one of them opens it. */
const OPTION_FIELDS = new Set<DraftField>(Object.keys(SIMPLE_OPTIONS) as DraftField[]);

export function BurstForm({ onSent }: { onSent?: (connId: number) => void }) {
  const command = useCommand();
  const serverFraming = useStoreView().config?.framing ?? null;
  const [draft, setDraft] = useState(INITIAL);
  const [open, setOpen] = useState(false);
  const [sending, setSending] = useState(false);
  const update = (patch: Partial<BurstDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const checked = useMemo(() => checkBurst(draft), [draft]);
  const size = useMemo(() => (checked.ok ? burstSize(checked.request, serverFraming) : null), [checked, serverFraming]);
  const summary = optionsSummary(draft);
  const invalid = checked.ok ? null : checked.field;
  const doubled = checked.ok && doubledDelimiter(checked.request.payload, framingOnWire(checked.request.framing, serverFraming));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!checked.ok) {
      if (checked.field && OPTION_FIELDS.has(checked.field)) setOpen(true);
      return;
    }
    setSending(true);
    const accepted = await command('Send burst', () => api.sendBurst({ ...checked.body, ...burstTarget() }));
    setSending(false);
    if (accepted) onSent?.(accepted.connId);
  };

  const optionsId = useId();
  const disclosure = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    // A press anywhere else closes the options, as a menu would; what was chosen stays chosen.
    const onDown = (e: PointerEvent) => {
      if (!disclosure.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  return (
    <form className="control burst" onSubmit={(e) => void submit(e)} aria-label="Burst">
      <span className="control-label">Burst</span>
      <input
        className="num narrow"
        aria-label="Count"
        aria-invalid={invalid === 'count' || undefined}
        title={`Number of writes (${BURST_COUNT_MIN}–${BURST_COUNT_MAX})`}
        type="number"
        min={BURST_COUNT_MIN}
        max={BURST_COUNT_MAX}
        value={draft.count}
        onChange={(e) => update({ count: e.target.value })}
      />
      <span className="unit">×</span>
      <input
        className="payload"
        aria-label="Payload"
        aria-invalid={invalid === 'payload' || undefined}
        title="Bytes of each write. {n} is the write's number; \n \r \t \xNN are escapes"
        spellCheck={false}
        value={draft.payload}
        onChange={(e) => update({ payload: e.target.value })}
      />
      <span className="unit">every</span>
      <input
        className="num narrow"
        aria-label="Interval (ms)"
        aria-invalid={invalid === 'intervalMs' || undefined}
        title={`Gap between writes, ${BURST_INTERVAL_MS_MIN}–${BURST_INTERVAL_MS_MAX} ms; 0 sends them all at once`}
        type="number"
        min={BURST_INTERVAL_MS_MIN}
        max={BURST_INTERVAL_MS_MAX}
        value={draft.intervalMs}
        onChange={(e) => update({ intervalMs: e.target.value })}
      />
      <span className="unit">ms</span>
      <label className="check" title="TCP_NODELAY: send small writes at once instead of letting Nagle's algorithm gather them">
        <input type="checkbox" checked={draft.noDelay} onChange={(e) => update({ noDelay: e.target.checked })} />
        nodelay
      </label>
      <div className="burst-more" ref={disclosure}>
        <button
          type="button"
          ref={toggle}
          className={`small${summary ? ' changed' : ''}`}
          aria-expanded={open}
          aria-controls={open ? optionsId : undefined}
          title={summary ? `Client options: ${summary}` : 'Client framing, split, gaps, closing with replies unread'}
          onClick={() => setOpen(!open)}
        >
          More…
        </button>
        {open && (
          <BurstOptions
            id={optionsId}
            draft={draft}
            update={update}
            invalid={invalid}
            serverFraming={serverFraming}
            note={
              doubled ? (
                <span className="warn-text small-text" data-testid="burst-warning">
                  The payload ends with the delimiter the framing adds: every write also makes an empty message.
                </span>
              ) : undefined
            }
            onClose={() => {
              setOpen(false);
              toggle.current?.focus();
            }}
          />
        )}
      </div>
      <button type="submit" className="primary" disabled={sending}>
        Send burst
      </button>
      {checked.ok ? (
        <span className="hint" data-testid="burst-total">
          {size === null ? '' : `= ${formatBytes(size.bytes)}`}
          {size !== null && summary && size.writes !== null ? ` in ${size.writes} write${size.writes === 1 ? '' : 's'}` : ''}
        </span>
      ) : (
        <span className="hint warn-text" role="status" data-testid="burst-invalid">
          {checked.message}
        </span>
      )}
      {!open && summary && (
        <span className="burst-summary" data-testid="burst-summary" title={`Client options in force: ${summary}`}>
          {summary}
        </span>
      )}
    </form>
  );
}
