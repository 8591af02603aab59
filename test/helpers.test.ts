// The waits of the test helpers fail on their own, naming what they waited for, instead of running into the
// test's timeout with no message.
import { describe, expect, it } from 'vitest';
import { untilTrue, withDeadline } from './helpers.ts';

describe('test waits', () => {
  it('a wait that never ends rejects after its deadline, naming what it awaited', async () => {
    await expect(withDeadline('nextEvent', 'a close of connection 7', () => () => {}, 20)).rejects.toThrow(
      'nextEvent: gave up after 20 ms waiting for a close of connection 7',
    );
  });

  it('a wait that ends resolves and cleans up after itself', async () => {
    let cleaned = false;
    const v = await withDeadline<number>('waitFor', 'a snapshot', (resolve) => {
      queueMicrotask(() => resolve(42));
      return () => (cleaned = true);
    });
    expect(v).toBe(42);
    expect(cleaned).toBe(true);
  });

  it('untilTrue gives up after its turns, naming the condition', async () => {
    await expect(untilTrue('the moon to turn blue', () => false, 10)).rejects.toThrow('waiting for the moon to turn blue');
  });
});
