import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Config, Framing } from './config.ts';
import { linkProposal, parseViewLink, REPLAY_SPEEDS, type ViewLink, viewLinkSearch } from './view-link.ts';

const framingArb: fc.Arbitrary<Framing> = fc.oneof(
  fc.constant({ mode: 'raw' as const }),
  fc.record({ mode: fc.constant('delimiter' as const), delimiter: fc.string({ minLength: 1, maxLength: 4 }), maxMessageBytes: fc.integer({ min: 1, max: 1 << 24 }) }),
  fc.record({ mode: fc.constant('fixed' as const), size: fc.integer({ min: 1, max: 1 << 24 }) }),
  fc.record({ mode: fc.constant('length-prefix' as const), prefixBytes: fc.constantFrom(1 as const, 2 as const, 4 as const), maxMessageBytes: fc.integer({ min: 1, max: 1 << 24 }) }),
);

describe('view links', () => {
  it('read back every view they were written from', () => {
    const linkArb: fc.Arbitrary<ViewLink> = fc.record(
      {
        session: fc.webUrl(),
        conn: fc.integer({ min: 1, max: 2 ** 31 }),
        buffer: fc.integer({ min: 1, max: 65536 }),
        framing: framingArb,
        at: fc.integer({ min: 0, max: 1e9 }).map((n) => n / 1000),
        speed: fc.constantFrom(...REPLAY_SPEEDS),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(linkArb, (link) => {
        expect(parseViewLink(viewLinkSearch(link))).toEqual({ link, problems: [] });
      }),
    );
  });

  it('keeps other parameters and names each refused one, applying the rest', () => {
    expect(viewLinkSearch({ conn: 3 }, new URLSearchParams('token=x&conn=9'))).toBe('?token=x&conn=3');
    const { link, problems } = parseViewLink('?conn=0&buffer=7&framing=fixed&size=0&speed=3&at=-5&session=');
    expect(link).toEqual({ buffer: 7 });
    expect(problems).toEqual([
      'session: must not be empty',
      'conn: must be an integer from 1 to 2147483648',
      'at: must be a number of milliseconds, 0 or more',
      'speed: must be one of 0.25, 0.5, 1, 2, 4, 8',
      'framing.size: must be an integer from 1 to 16777216',
    ]);
    expect(parseViewLink('?framing=lines').problems).toEqual(['framing: mode must be one of raw, delimiter, fixed, length-prefix']);
    expect(parseViewLink('?framing=delimiter').link.framing).toEqual({ mode: 'delimiter', delimiter: '\n', maxMessageBytes: 65536 });
  });

  it('propose only what differs from the live config, and nothing for a link without buffer or framing', () => {
    const live: Config = { bufferSize: 1024, replyMode: 'ack', paused: false, framing: { mode: 'raw' } };
    const lp = { mode: 'length-prefix' as const, prefixBytes: 4 as const, maxMessageBytes: 16777216 };
    expect(linkProposal(parseViewLink('?buffer=1&framing=length-prefix&prefix=4&max=16777216').link, live)).toEqual({ bufferSize: 1, framing: lp });
    expect(linkProposal(parseViewLink('?buffer=1024&framing=raw&conn=3').link, live)).toBeNull();
    expect(linkProposal(parseViewLink('?conn=3&session=/x.json').link, live)).toBeNull();
    expect(linkProposal(parseViewLink('?buffer=7').link, live)).toEqual({ bufferSize: 7 });
    expect(linkProposal({ framing: { maxMessageBytes: 64, delimiter: '\n', mode: 'delimiter' } }, { ...live, framing: { mode: 'delimiter', delimiter: '\n', maxMessageBytes: 64 } })).toBeNull();
    expect(linkProposal({ framing: { mode: 'delimiter', delimiter: '\r\n', maxMessageBytes: 64 } }, { ...live, framing: { mode: 'delimiter', delimiter: '\n', maxMessageBytes: 64 } })).not.toBeNull();
  });
});
