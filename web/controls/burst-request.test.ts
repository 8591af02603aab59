import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BurstRequestSchema } from '../../shared/api.ts';
import { createSplitter } from '../../shared/chaos-split.ts';
import type { Framing } from '../../shared/config.ts';
import { encodeMessage } from '../../shared/framing-encode.ts';
import { writeBytes } from '../format/escapes.ts';
import { burstBody, type BurstDraft, burstSize, checkBurst, doubledDelimiter, SIMPLE_OPTIONS } from './burst-request.ts';
import { payloadLength as payloadLengths } from '../../shared/burst-cost.ts';

const simple: BurstDraft = { count: '3', payload: 'Hello{n}\\n', intervalMs: '0', noDelay: true, ...SIMPLE_OPTIONS };

describe('burstBody', () => {
  it('sends the simple burst as before, with no harder fields', () => {
    expect(burstBody(simple)).toEqual({ count: 3, payload: 'Hello{n}\n', intervalMs: 0, noDelay: true });
  });

  it('maps each harder option to its API field', () => {
    expect(burstBody({ ...simple, framing: 'server', split: 'random', seed: '42', chunkGapMs: '5', leaveRepliesUnread: true })).toMatchObject({
      framing: { mode: 'server' },
      split: { mode: 'random', seed: 42 },
      chunkGapMs: 5,
      leaveRepliesUnread: true,
    });
    expect(burstBody({ ...simple, framing: 'delimiter', split: 'fixed', splitSize: '4' })).toMatchObject({
      framing: { mode: 'delimiter', delimiter: '\n' },
      split: { mode: 'fixed', size: 4 },
    });
    expect(burstBody({ ...simple, framing: 'length-prefix' }).framing).toEqual({ mode: 'length-prefix', prefixBytes: 2 });
  });

  it('leaves a blank optional number to the server’s default', () => {
    const body = burstBody({ ...simple, count: '', intervalMs: ' ', chunkGapMs: '' });
    expect(JSON.parse(JSON.stringify(body))).toEqual({ payload: 'Hello{n}\n', noDelay: true });
    expect(checkBurst({ ...simple, count: '' })).toMatchObject({ ok: true, request: { count: 3 } });
  });
});

describe('checkBurst', () => {
  it('accepts what the server accepts and parses it as the server does', () => {
    const checked = checkBurst({ ...simple, split: 'random', seed: '7' });
    expect(checked).toMatchObject({ ok: true, request: { split: { mode: 'random', seed: 7, minBytes: 1, maxBytes: 16 }, chunkGapMs: 0 } });
  });

  it.each([
    [{ count: '0' }, 'count', 'Count: must be an integer from 1 to 1000'],
    [{ count: '2.5' }, 'count', 'Count: must be an integer from 1 to 1000'],
    [{ intervalMs: '10001' }, 'intervalMs', 'Interval: must be an integer from 0 to 10000'],
    [{ split: 'fixed', splitSize: '0' }, 'splitSize', 'Piece size: must be an integer from 1 to 65536'],
    [{ split: 'random', seed: '' }, 'seed', 'Seed: must be an integer from 0 to 4294967295'],
    [{ split: 'random', seed: '4294967296' }, 'seed', 'Seed: must be an integer from 0 to 4294967295'],
    [{ chunkGapMs: '-1' }, 'chunkGapMs', 'Gap: must be an integer from 0 to 10000'],
    [{ payload: 'x'.repeat(65537) }, 'payload', 'Payload: must be at most 65536 bytes of UTF-8'],
  ] as const)('refuses %o like the server, naming the field', (change, field, message) => {
    const draft = { ...simple, ...change } as BurstDraft;
    expect(checkBurst(draft)).toEqual({ ok: false, field, message });
    // The same body is refused by the schema the route validates with.
    expect(BurstRequestSchema.safeParse(burstBody(draft)).success).toBe(false);
  });
});

describe('burstSize', () => {
  const request = (d: Partial<BurstDraft>) => {
    const c = checkBurst({ ...simple, ...d });
    if (!c.ok) throw new Error(c.message);
    return c.request;
  };

  it('counts the tutorial’s burst as 21 bytes in 3 writes', () => {
    expect(burstSize(request({}), null)).toEqual({ bytes: 21, writes: 3 });
  });

  it('adds what the framing adds, the server’s own when asked', () => {
    const delimited: Framing = { mode: 'delimiter', delimiter: '\r\n', maxMessageBytes: 100 };
    expect(burstSize(request({ payload: 'Hello{n}', framing: 'delimiter' }), null).bytes).toBe(21);
    expect(burstSize(request({ framing: 'length-prefix' }), null).bytes).toBe(27);
    expect(burstSize(request({ payload: 'Hello{n}', framing: 'server' }), delimited).bytes).toBe(24);
    expect(burstSize(request({ framing: 'server' }), { mode: 'fixed', size: 4 }).bytes).toBe(12);
    expect(burstSize(request({ framing: 'server' }), null).bytes).toBe(21);
  });

  it('counts the pieces of a fixed split', () => {
    expect(burstSize(request({ split: 'fixed', splitSize: '3' }), null)).toEqual({ bytes: 21, writes: 9 });
    expect(burstSize(request({ payload: '', split: 'fixed', splitSize: '3' }), null)).toEqual({ bytes: 0, writes: 3 });
  });

  it('does not replay a random split of a burst too large to cut on every keystroke', () => {
    expect(burstSize(request({ count: '1000', payload: 'x'.repeat(2000), split: 'random' }), null)).toEqual({ bytes: 2_000_000, writes: null });
  });

  it('matches the bytes and writes the built-in client makes, for any burst', () => {
    const framing = fc.constantFrom<Framing>(
      { mode: 'raw' },
      { mode: 'delimiter', delimiter: '\n', maxMessageBytes: 65536 },
      { mode: 'delimiter', delimiter: 'é|', maxMessageBytes: 65536 },
      { mode: 'fixed', size: 5 },
      { mode: 'length-prefix', prefixBytes: 2, maxMessageBytes: 65536 },
    );
    const split = fc.oneof(
      fc.constant({ mode: 'none' as const }),
      fc.record({ mode: fc.constant('fixed' as const), size: fc.integer({ min: 1, max: 9 }) }),
      fc.record({ mode: fc.constant('random' as const), seed: fc.nat(), minBytes: fc.constant(1), maxBytes: fc.constant(16) }),
    );
    const template = fc.array(fc.oneof(fc.string({ maxLength: 6, unit: 'grapheme' }), fc.constant('{n}')), { maxLength: 4 }).map((a) => a.join(''));
    fc.assert(
      fc.property(template, fc.integer({ min: 1, max: 30 }), framing, split, (payload, count, f, s) => {
        const req = BurstRequestSchema.parse({ count, payload, framing: f, split: s });
        let bytes = 0;
        let writes = 0;
        const cut = createSplitter(req.split);
        for (let i = 1; i <= count; i++) {
          const frame = encodeMessage(new TextEncoder().encode(payload.replaceAll('{n}', String(i))), f);
          bytes += frame.length;
          writes += frame.length === 0 ? 1 : cut(frame).length;
        }
        expect(burstSize(req, null)).toEqual({ bytes, writes });
      }),
    );
  });
});

describe('payloadLengths', () => {
  it('agrees with encoding each write', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 5 }), fc.constant('{n}')), { maxLength: 5 }), fc.integer({ min: 1, max: 1000 }), (parts, n) => {
        const t = parts.join('');
        expect(payloadLengths(t)(n)).toBe(writeBytes(t, n));
      }),
    );
  });
});

describe('doubledDelimiter', () => {
  it('warns when the payload already ends with the delimiter the framing appends', () => {
    const nl: Framing = { mode: 'delimiter', delimiter: '\n', maxMessageBytes: 10 };
    expect(doubledDelimiter('Hello{n}\n', nl)).toBe(true);
    expect(doubledDelimiter('Hello{n}', nl)).toBe(false);
    expect(doubledDelimiter('Hello{n}\n', { mode: 'raw' })).toBe(false);
    expect(doubledDelimiter('Hello{n}\n', null)).toBe(false);
  });
});
