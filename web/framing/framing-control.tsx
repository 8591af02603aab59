// The echo server's framing, beside its read buffer: raw (every read stands alone) or a rule that cuts
// the stream into messages. A change applies to each open connection from its next message boundary.
import { useState } from 'react';
import { type Framing, FRAMING_MAX_MESSAGE_BYTES_MAX } from '../../shared/config.ts';
import { api } from '../api.ts';
import { escapePayload, unescapePayload } from '../format/escapes.ts';
import { useCommand } from '../controls/notice.tsx';
import { useStore, useStoreView } from '../stream/event-store.ts';
import { defaultFraming, FRAMING_MODES } from './framing-text.ts';
import './framing.css';

const MODE_LABELS: Record<Framing['mode'], string> = {
  raw: 'raw',
  delimiter: 'delimiter',
  fixed: 'fixed size',
  'length-prefix': 'length prefix',
};

export function FramingControl() {
  const store = useStore();
  const { config, link } = useStoreView();
  const command = useCommand();
  const framing = config?.framing ?? { mode: 'raw' as const };
  const readOnly = link === 'replay';

  const apply = async (next: Framing) => {
    const updated = await command('Framing', () => api.patchConfig({ framing: next }));
    if (updated) store.applyConfig(updated);
  };

  return (
    <div className="control framing-control" title="How the echo server cuts the byte stream into messages" data-testid="framing-control">
      <label htmlFor="framing-mode" className="control-label">
        Framing
      </label>
      <select
        id="framing-mode"
        value={framing.mode}
        disabled={readOnly || config === null}
        onChange={(e) => void apply(defaultFraming(e.target.value as Framing['mode']))}
      >
        {FRAMING_MODES.map((m) => (
          <option key={m} value={m}>
            {MODE_LABELS[m]}
          </option>
        ))}
      </select>
      {framing.mode === 'delimiter' && (
        <>
          <Field label="Delimiter" width="narrow" value={escapePayload(framing.delimiter)} disabled={readOnly} onCommit={(v) => apply({ ...framing, delimiter: unescapePayload(v) })} />
          <MaxField framing={framing} disabled={readOnly} apply={apply} />
        </>
      )}
      {framing.mode === 'fixed' && (
        <Field label="Message size" unit="B" numeric value={String(framing.size)} disabled={readOnly} onCommit={(v) => apply({ ...framing, size: Number(v) })} />
      )}
      {framing.mode === 'length-prefix' && (
        <>
          <select
            aria-label="Prefix bytes"
            title="Big-endian length prefix of 1, 2 or 4 bytes"
            value={framing.prefixBytes}
            disabled={readOnly}
            onChange={(e) => void apply({ ...framing, prefixBytes: Number(e.target.value) as 1 | 2 | 4 })}
          >
            {[1, 2, 4].map((n) => (
              <option key={n} value={n}>
                {n}-byte prefix
              </option>
            ))}
          </select>
          <MaxField framing={framing} disabled={readOnly} apply={apply} />
        </>
      )}
    </div>
  );
}

function MaxField({ framing, disabled, apply }: { framing: Extract<Framing, { maxMessageBytes: number }>; disabled: boolean; apply(f: Framing): void }) {
  return (
    <Field
      label="Max message"
      title={`Largest message (1–${FRAMING_MAX_MESSAGE_BYTES_MAX} B): a longer one is a protocol error that closes its connection`}
      unit="B max"
      numeric
      value={String(framing.maxMessageBytes)}
      disabled={disabled}
      onCommit={(v) => apply({ ...framing, maxMessageBytes: Number(v) })}
    />
  );
}

/** An input that shows the server's value until the user types, and sends on Enter or when it loses focus. */
function Field(props: { label: string; title?: string; unit?: string; numeric?: boolean; width?: 'narrow'; value: string; disabled: boolean; onCommit(v: string): void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft !== null && draft !== props.value) props.onCommit(draft);
    setDraft(null);
  };
  return (
    <>
      <input
        aria-label={props.label}
        title={props.title ?? props.label}
        className={props.numeric ? 'num' : `text ${props.width ?? ''}`}
        type={props.numeric ? 'number' : 'text'}
        spellCheck={false}
        value={draft ?? props.value}
        disabled={props.disabled}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setDraft(null);
        }}
        onBlur={commit}
      />
      {props.unit && <span className="unit">{props.unit}</span>}
    </>
  );
}
