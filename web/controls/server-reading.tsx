// How the echo server answers each read, and whether it reads at all. Stopping reads is how a
// user watches the receive queue fill up: the client keeps writing, nothing is read.
import { REPLY_MODES, type ReplyMode } from '../../shared/config.ts';
import { api } from '../api.ts';
import { useStore, useStoreView } from '../stream/event-store.ts';
import { useCommand } from './notice.tsx';
import { Segmented } from './segmented.tsx';

const REPLY_HELP: Record<ReplyMode, string> = {
  ack: 'Answer every read with "Received: N"',
  echo: 'Send every read back as it came',
  none: 'Read and say nothing',
};
const REPLY_OPTIONS = REPLY_MODES.map((mode) => ({ value: mode, label: mode, title: REPLY_HELP[mode] }));

export function ReplyModeControl() {
  const store = useStore();
  const config = useStoreView().config;
  const command = useCommand();

  const patch = async (p: { replyMode: ReplyMode } | { paused: boolean }) => {
    const next = await command('Echo server', () => api.patchConfig(p));
    if (next) store.applyConfig(next);
  };

  return (
    <div className="control">
      <span className="control-label" id="reply-mode-label">
        Reply
      </span>
      <Segmented
        options={REPLY_OPTIONS}
        value={config?.replyMode}
        onSelect={(mode) => void patch({ replyMode: mode })}
        labelledBy="reply-mode-label"
      />
      <label className="check" title="While stopped the echo server reads nothing: the kernel buffers fill and the window closes">
        <input type="checkbox" checked={config?.paused ?? false} onChange={(e) => void patch({ paused: e.target.checked })} />
        Stop reading
      </label>
    </div>
  );
}
