// The echo server's read buffer: the one setting that decides how the stream is cut into reads.
import { useState } from 'react';
import { BUFFER_SIZE_PRESETS } from '../../shared/limits.ts';
import { BUFFER_RANGE_TEXT, parseBufferInput } from './buffer-input.ts';
import { api } from '../api.ts';
import { useStore, useStoreView } from '../stream/event-store.ts';
import { useCommand } from './notice.tsx';
import { Segmented } from './segmented.tsx';

const PRESETS = BUFFER_SIZE_PRESETS.map((n) => ({ value: n, label: String(n), title: `Read at most ${n} bytes at a time` }));

export function BufferControl() {
  const store = useStore();
  const current = useStoreView().config?.bufferSize;
  const command = useCommand();
  // What the user is typing; null shows the server's value, so a change from elsewhere shows too.
  const [draft, setDraft] = useState<string | null>(null);
  // Checked here, as the burst form checks its fields: a bad value is never sent, and says why beside the field.
  const checked = draft === null ? null : parseBufferInput(draft);
  const problem = checked !== null && !checked.ok ? checked.message : null;

  const apply = async (value: number) => {
    const config = await command('Read buffer', () => api.patchConfig({ bufferSize: value }));
    if (config) store.applyConfig(config);
    setDraft(null);
  };
  const commitDraft = () => {
    if (checked === null || !checked.ok) return;
    // Taken: the field shows the value as applied ("1e3" becomes 1000).
    if (checked.value === current) setDraft(null);
    else void apply(checked.value);
  };

  return (
    <div className="control" title="How many bytes the echo server asks the kernel for in one read">
      <label htmlFor="read-buffer" className="control-label">
        Read buffer
      </label>
      <Segmented<number> options={PRESETS} value={current} onSelect={(n) => void apply(n)} />
      <input
        id="read-buffer"
        className="num"
        type="text"
        inputMode="numeric"
        aria-invalid={problem !== null || undefined}
        aria-describedby="read-buffer-range"
        value={draft ?? current ?? ''}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commitDraft();
          if (e.key === 'Escape') setDraft(null);
        }}
        onBlur={commitDraft}
      />
      <span className="unit" id="read-buffer-range">
        {BUFFER_RANGE_TEXT}
      </span>
      {problem !== null && (
        <span className="hint warn-text" role="status" data-testid="buffer-invalid">
          {problem}
        </span>
      )}
    </div>
  );
}
