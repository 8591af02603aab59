// The live settings. A patch is validated at the boundary (HTTP, WS, flags) and applied here whole;
// listeners (the echo server, the recorder) react to the new value.
import { type Config, type ConfigPatch, DEFAULT_CONFIG } from '../../shared/config.ts';

export type ConfigListener = (next: Config, prev: Config) => void;

export class ConfigStore {
  private value: Config;
  private readonly listeners: ConfigListener[] = [];

  constructor(initial: Partial<Config> = {}) {
    this.value = { ...DEFAULT_CONFIG, ...initial };
  }

  get(): Config {
    return this.value;
  }

  onChange(listener: ConfigListener): void {
    this.listeners.push(listener);
  }

  apply(patch: ConfigPatch): Config {
    const prev = this.value;
    const next: Config = { ...prev, ...patch };
    this.value = next;
    for (const l of this.listeners) l(next, prev);
    return next;
  }
}
