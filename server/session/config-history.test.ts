import { describe, expect, it } from 'vitest';
import { ConfigStore } from '../config/config-store.ts';
import { EventStore } from '../events/event-store.ts';
import { Recorder } from '../events/recorder.ts';
import { ConfigHistory } from './config-history.ts';

describe('ConfigHistory', () => {
  it('knows the config before any event, the change event itself counting as before', () => {
    const config = new ConfigStore();
    const recorder = new Recorder(new EventStore(3));
    config.onChange((next) => recorder.record({ kind: 'config', t: 0, connId: 0, config: next }));
    const history = new ConfigHistory(config, recorder);
    config.apply({ bufferSize: 7 }); // its event is seq 1
    recorder.record({ kind: 'error', t: 0, connId: 1, rule: 'delimiter-not-found', message: '' }); // seq 2
    config.apply({ bufferSize: 9 }); // seq 3
    expect(history.before(1).bufferSize).toBe(1024);
    expect(history.before(2).bufferSize).toBe(7);
    expect(history.before(3).bufferSize).toBe(7);
    expect(history.before(4).bufferSize).toBe(9);
  });
});
