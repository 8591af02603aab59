// The echo server's read buffer: the one setting that decides how the stream is cut into reads.
import { useState } from 'react';
import { BUFFER_SIZE_MAX, BUFFER_SIZE_MIN, BUFFER_SIZE_PRESETS } from '../../shared/limits.ts';
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

  const apply = async (value: number) => {
    const config = await command('Read buffer', () => api.patchConfig({ bufferSize: value }));
    if (config) store.applyConfig(config);
    setDraft(null);
  };
  const commitDraft = () => {
    if (draft === null) return;
    if (draft.trim() === '' || Number(draft) === current) setDraft(null);
    else void apply(Number(draft));
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
        type="number"
        inputMode="numeric"
        min={BUFFER_SIZE_MIN}
        max={BUFFER_SIZE_MAX}
        value={draft ?? current ?? ''}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commitDraft();
          if (e.key === 'Escape') setDraft(null);
        }}
        onBlur={commitDraft}
      />
      <span className="unit">B</span>
    </div>
  );
}
