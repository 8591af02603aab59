import { describe, expect, it } from 'vitest';
import { EVENT_KINDS, EventSchema } from './events.ts';

describe('message and error events', () => {
  it('are part of the event union', () => {
    expect(EVENT_KINDS).toEqual(expect.arrayContaining(['message', 'error']));
    const message = { kind: 'message', seq: 5, t: 1.5, connId: 2, offset: 7, length: 6, hex: '48 65 6C 6C 6F 32', truncated: false, firstReadSeq: 3, lastReadSeq: 4 };
    expect(EventSchema.parse(message)).toEqual(message);
    const error = { kind: 'error', seq: 6, t: 2, connId: 2, rule: 'delimiter-not-found', message: 'no delimiter "\\n" within the maximum of 65536 bytes' };
    expect(EventSchema.parse(error)).toEqual(error);
  });

  it('refuses an unknown rule', () => {
    expect(EventSchema.safeParse({ kind: 'error', seq: 6, t: 2, connId: 2, rule: 'bad-checksum', message: '' }).success).toBe(false);
  });
});
