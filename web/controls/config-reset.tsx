// One click back to the echo server's defaults, shown only while the config differs from them: after a
// scenario (buffer 7, a framing) the next plain burst would otherwise behave differently with no hint.
import { DEFAULT_CONFIG, type Config } from '../../shared/config.ts';
import { api } from '../api.ts';
import { describeConfig } from '../format/config-change.ts';
import { useStore } from '../stream/event-store.ts';
import { useCommand } from './notice.tsx';

export function isDefaultConfig(c: Config): boolean {
  return describeConfig(c) === describeConfig(DEFAULT_CONFIG);
}

export function ConfigReset({ config }: { config: Config }) {
  const store = useStore();
  const command = useCommand();
  if (isDefaultConfig(config)) return null;
  const reset = async () => {
    const next = await command('Reset', () => api.patchConfig(DEFAULT_CONFIG));
    if (next) store.applyConfig(next);
  };
  return (
    <button
      type="button"
      className="small"
      data-testid="config-reset"
      title={`Back to the defaults: ${describeConfig(DEFAULT_CONFIG)}`}
      onClick={() => void reset()}
    >
      Reset config
    </button>
  );
}
