// Which config was in effect for which events. The event store keeps only the newest events, so the
// config before the first of them is remembered here: a session file starts from it, and replays the
// `config` events it holds from there.
import type { Config } from '../../shared/config.ts';
import type { ConfigStore } from '../config/config-store.ts';
import type { Recorder } from '../events/recorder.ts';

/** More changes than this in one session are possible but rare; the oldest are forgotten first. */
const KEPT_CHANGES = 1000;

interface Entry {
  /** The first seq recorded after the change: events from here on saw `config`. */
  fromSeq: number;
  config: Config;
}

export class ConfigHistory {
  private readonly entries: Entry[];

  /** Create it after the listener that records `config` events, so that a change's own event counts as "before" it. */
  constructor(config: ConfigStore, recorder: Recorder) {
    this.entries = [{ fromSeq: 0, config: config.get() }];
    config.onChange((next) => {
      this.entries.push({ fromSeq: recorder.nextSeq, config: next });
      if (this.entries.length > KEPT_CHANGES) this.entries.shift();
    });
  }

  /** The config in effect just before the event with this seq was recorded. */
  before(seq: number): Config {
    let found = this.entries[0]!;
    for (const e of this.entries) {
      if (e.fromSeq > seq) break;
      found = e;
    }
    return found.config;
  }
}
