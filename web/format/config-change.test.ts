import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config.ts';
import { describeConfig, describeConfigChange } from './config-change.ts';

describe('describeConfigChange', () => {
  it('names only what changed', () => {
    expect(describeConfigChange(DEFAULT_CONFIG, { ...DEFAULT_CONFIG, bufferSize: 7 })).toBe('read buffer 1024 → 7 B');
    expect(describeConfigChange(DEFAULT_CONFIG, { ...DEFAULT_CONFIG, paused: true, replyMode: 'echo' })).toBe('reply ack → echo · reading stopped');
    expect(
      describeConfigChange(DEFAULT_CONFIG, { ...DEFAULT_CONFIG, framing: { mode: 'delimiter', delimiter: '\n', maxMessageBytes: 65536 } }),
    ).toBe('framing raw → delimiter \\n (max 65536 B)');
  });

  it('says the whole config when there is nothing to compare with, or nothing changed', () => {
    expect(describeConfigChange(null, DEFAULT_CONFIG)).toBe(describeConfig(DEFAULT_CONFIG));
    expect(describeConfigChange(DEFAULT_CONFIG, DEFAULT_CONFIG)).toMatch(/^unchanged: read buffer 1024 B/);
  });
});
