// What each guided scenario does: the whole config it sets, then the bursts it sends, one after another.
// The captions (shared/scenarios.ts) describe exactly this traffic, so a change here is a change there.
import type { BurstRequestInput } from '../../shared/api.ts';
import type { Config, Framing } from '../../shared/config.ts';
import type { ScenarioName } from '../../shared/scenarios.ts';

export interface ScenarioPlan {
  /** Set whole, so that a scenario does not depend on what the user set before. */
  config: Config;
  /** Sent in order; each connection is closed before the next one opens. */
  bursts: BurstRequestInput[];
}

const RAW: Framing = { mode: 'raw' };
const LINES: Framing = { mode: 'delimiter', delimiter: '\n', maxMessageBytes: 65536 };
const PREFIX2_MAX64: Framing = { mode: 'length-prefix', prefixBytes: 2, maxMessageBytes: 64 };

const base: Config = { bufferSize: 1024, replyMode: 'ack', paused: false, framing: RAW };

export const OVERSIZE_PAYLOAD = 'This message is far longer than the 64 bytes the server allows, so its length prefix breaks the rule.';

export const SCENARIO_PLANS: Record<ScenarioName, ScenarioPlan> = {
  'single-write': {
    config: base,
    bursts: [{ count: 1, payload: 'Hello{n}\n' }],
  },
  'three-writes-merge': {
    config: base,
    bursts: [{ count: 3, payload: 'Hello{n}\n' }],
  },
  'buffer-7-splits': {
    config: { ...base, bufferSize: 7 },
    bursts: [{ count: 3, payload: 'Hello{n}\n' }],
  },
  'long-message-buffer-7': {
    config: { ...base, bufferSize: 7 },
    // Two 10-byte writes, corked: 20 bytes in one segment, read 7 at a time.
    bursts: [{ count: 2, payload: 'Greeting{n}\n' }],
  },
  'newline-framing-chaos': {
    config: { ...base, framing: LINES },
    bursts: [{ count: 3, payload: 'Hello{n}', framing: { mode: 'server' }, split: { mode: 'random', seed: 7, minBytes: 1, maxBytes: 4 }, chunkGapMs: 5 }],
  },
  'length-prefix-oversize': {
    config: { ...base, framing: PREFIX2_MAX64 },
    bursts: [
      { count: 3, payload: 'Hello{n}', framing: { mode: 'server' } },
      { count: 1, payload: OVERSIZE_PAYLOAD, framing: { mode: 'server' } },
    ],
  },
  'close-unread-reset': {
    config: { ...base, bufferSize: 7 },
    bursts: [{ count: 3, payload: 'Hello{n}\n', leaveRepliesUnread: true }],
  },
  'nagle-on-off': {
    // Replies per line make the exchange request/response, which is when the receiver delays its ACKs.
    config: { ...base, framing: LINES },
    bursts: [true, false].map((noDelay) => ({
      count: 4,
      payload: 'Hello{n}, Nagle',
      framing: { mode: 'server' } as const,
      split: { mode: 'fixed', size: 1 } as const,
      chunkGapMs: 2,
      noDelay,
    })),
  },
};
