import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { TcpEvent } from '../../shared/events.ts';
import { matchesFilter, parseFilter, printFilter, type FilterNode } from './display-filter.ts';

const read7 = { kind: 'read', seq: 4, t: 1, connId: 1, offset: 0, length: 7, hex: '', truncated: false } as TcpEvent;
const read21 = { ...read7, seq: 5, length: 21 } as TcpEvent;
const reply = { kind: 'reply', seq: 6, t: 1, connId: 1, offset: 0, length: 12, hex: '', truncated: false } as TcpEvent;
const rst = {
  kind: 'segment',
  seq: 7,
  t: 1,
  connId: 2,
  direction: 'c2s',
  flags: ['RST', 'ACK'],
  payloadLength: 0,
  relativeSeq: 22,
  relativeAck: 13,
  window: 0,
} as unknown as TcpEvent;
const data = { ...rst, seq: 8, flags: ['PSH', 'ACK'], payloadLength: 21, direction: 's2c' } as unknown as TcpEvent;
const all = [read7, read21, reply, rst, data];

function pick(src: string): number[] {
  const p = parseFilter(src);
  if (!p.ok) throw new Error(p.message);
  return all.filter((e) => matchesFilter(p.node, e)).map((e) => e.seq);
}

describe('display filter', () => {
  it('reads the documented examples', () => {
    expect(pick('len>0')).toEqual([4, 5, 6, 8]);
    expect(pick('flags.rst')).toEqual([7]);
    expect(pick('dir==c2s')).toEqual([4, 5, 7]);
    expect(pick('kind==read && length<7')).toEqual([]);
    expect(pick('kind==read && length<=7')).toEqual([4]);
    expect(pick('!(kind==segment) || conn==2 && flags.psh')).toEqual([4, 5, 6, 8]);
    expect(pick('')).toEqual([4, 5, 6, 7, 8]);
    expect(pick('kind == "reply"')).toEqual([6]);
  });

  it('says where a filter goes wrong', () => {
    expect(parseFilter('len >')).toMatchObject({ ok: false, message: 'expected a value after >' });
    expect(parseFilter('(len>0')).toMatchObject({ ok: false, message: 'a "(" is not closed' });
    expect(parseFilter('len>0 kind==read')).toMatchObject({ ok: false, at: 6 });
    expect(parseFilter('kind=="read')).toMatchObject({ ok: false, at: 6 });
    expect(parseFilter('&& len')).toMatchObject({ ok: false, at: 0 });
  });

  const fieldArb = fc.constantFrom('len', 'kind', 'dir', 'conn', 'flags.rst', 'flags.syn', 'seq', 'ack', 'offset');
  const nodeArb: fc.Arbitrary<FilterNode> = fc.letrec<{ node: FilterNode }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fieldArb.map((field) => ({ type: 'field' as const, field })),
      fc
        .tuple(fieldArb, fc.constantFrom('==', '!=', '>', '>=', '<', '<=' as const), fc.oneof(fc.integer({ min: -100, max: 100000 }), fc.stringMatching(/^[a-z0-9 ]{0,6}$/)))
        .map(([field, op, value]) => ({ type: 'compare' as const, field, op, value })),
      tie('node').map((inner) => ({ type: 'not' as const, inner })),
      fc.tuple(fc.constantFrom('and' as const, 'or' as const), tie('node'), tie('node')).map(([type, left, right]) => ({ type, left, right })),
    ),
  })).node;

  it('parses what it prints back to the same filter', () => {
    fc.assert(
      fc.property(nodeArb, (node) => {
        expect(parseFilter(printFilter(node))).toEqual({ ok: true, node });
      }),
    );
  });

  it('never throws, on any text and any event', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.constantFrom(...all), (src, e) => {
        const p = parseFilter(src);
        if (p.ok) matchesFilter(p.node, e);
        else expect(p.at).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
