import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TcpEvent } from '../../shared/events.ts';
import type { SegmentEvent } from '../../shared/wire.ts';
import { evaluate, FLAG_FIELDS, isPureAck, parseFilter, printFilter, type FilterAst } from './display-filter.ts';

function seg(over: Partial<SegmentEvent> = {}): SegmentEvent {
  return {
    seq: 1,
    t: 0,
    connId: 3,
    kind: 'segment',
    direction: 'c2s',
    flags: ['PSH', 'ACK'],
    ipVersion: 4,
    seqNumber: 1000,
    ackNumber: 2000,
    relativeSeq: 1,
    relativeAck: 1,
    windowRaw: 512,
    window: 65536,
    windowShift: 7,
    payloadLength: 21,
    ipTotalLength: 73,
    ipHeaderLength: 20,
    tcpHeaderLength: 32,
    options: {},
    hex: '48 65 6C 6C 6F 31 0A',
    truncated: false,
    ...over,
  };
}
const read = (length: number, hex = '48 69'): TcpEvent => ({ seq: 2, t: 0, connId: 4, kind: 'read', offset: 7, length, hex, truncated: false });
const open: TcpEvent = { seq: 0, t: 0, connId: 4, kind: 'open', remoteAddress: '127.0.0.1', remotePort: 1, localAddress: '127.0.0.1', localPort: 2, origin: 'builtin' };

function matches(filter: string, e: TcpEvent): boolean {
  const r = parseFilter(filter);
  if (!r.ok) throw r.error;
  return evaluate(r.ast, e);
}
function errorOf(filter: string): string {
  const r = parseFilter(filter);
  if (r.ok) throw new Error(`'${filter}' parsed`);
  return r.error.message;
}

describe('display filter', () => {
  it('keeps everything when empty', () => {
    expect(matches('', open)).toBe(true);
    expect(matches('   ', seg())).toBe(true);
  });

  it('compares segment fields', () => {
    expect(matches('len>0', seg())).toBe(true);
    expect(matches('len == 0', seg())).toBe(false);
    expect(matches('dir==c2s', seg())).toBe(true);
    expect(matches('dir != c2s', seg())).toBe(false);
    expect(matches('seq == 1 && ack == 1 && win >= 65536', seg())).toBe(true);
    expect(matches('win < 0x10000', seg())).toBe(false);
    expect(matches('conn == 3 && kind == segment', seg())).toBe(true);
  });

  it('reads flags as booleans, with ! and parentheses', () => {
    expect(matches('flags.psh', seg())).toBe(true);
    expect(matches('flags.rst', seg())).toBe(false);
    expect(matches('!flags.rst', seg())).toBe(true);
    expect(matches('flags.syn || (flags.ack && !flags.fin)', seg())).toBe(true);
    expect(matches('FLAGS.PSH', seg())).toBe(true);
  });

  it('compares event fields; a field the item lacks is false', () => {
    expect(matches('kind==read && length<7', read(2))).toBe(true);
    expect(matches('kind==read && length<7', read(21))).toBe(false);
    expect(matches('offset == 7', read(2))).toBe(true);
    expect(matches('len > 0', read(2))).toBe(false);
    expect(matches('!(len > 0)', read(2))).toBe(true);
    expect(matches('length >= 0', open)).toBe(false);
    expect(matches('flags.ack', open)).toBe(false);
    expect(matches('ack == 1', seg({ relativeAck: null }))).toBe(false);
  });

  it('searches the payload as text or hex bytes', () => {
    expect(matches('contains "Hello"', seg())).toBe(true);
    expect(matches('contains "Hello1\\n"', seg())).toBe(true);
    expect(matches('contains "hello"', seg())).toBe(false);
    expect(matches('contains 0x6c6c6f', seg())).toBe(true);
    expect(matches('contains "\\x48i"', read(2))).toBe(true);
    expect(matches('contains "H"', open)).toBe(false);
  });

  it('binds && tighter than ||', () => {
    // false && false || true  →  (false && false) || true
    expect(matches('flags.rst && flags.syn || flags.ack', seg())).toBe(true);
    expect(matches('flags.rst && (flags.syn || flags.ack)', seg())).toBe(false);
  });

  it('names the position and the token of every error', () => {
    expect(errorOf('lenn > 0')).toBe("unknown field 'lenn' at 1");
    expect(errorOf('len >')).toBe("'len' takes a number, found 'end of filter' at 6");
    expect(errorOf('len > 0 &&')).toBe("expected a field, '!', '(' or contains but the filter ended at 11");
    expect(errorOf('(len > 0')).toBe("expected ')' but found 'end of filter' at 9");
    expect(errorOf('len > 0)')).toBe("unexpected ')' at 8");
    expect(errorOf('dir == up')).toBe("dir is c2s or s2c, not 'up' at 8");
    expect(errorOf('dir < c2s')).toBe("'dir' compares only with == or !=, not '<' at 5");
    expect(errorOf('len')).toBe("'len' needs a comparison (== != < <= > >=), found 'end of filter' at 4");
    expect(errorOf('flags.rst == 1')).toBe("'flags.rst' is true or false and takes no comparison; write 'flags.rst' or '!flags.rst' at 11");
    expect(errorOf('contains "abc')).toBe('unterminated string at 10');
    expect(errorOf('len > 12ab')).toBe("bad number '12ab' at 7");
    expect(errorOf('len # 3')).toBe("unexpected '#' at 5");
    expect(errorOf('contains 0x123')).toBe("contains takes \"text\" or 0x followed by pairs of hex digits, found '0x123' at 10");
    expect(errorOf('len == "x"')).toBe("'len' takes a number, found '\"x\"' at 8");
  });

  it('hides pure ACKs only', () => {
    expect(isPureAck(seg({ flags: ['ACK'], payloadLength: 0 }))).toBe(true);
    expect(isPureAck(seg({ flags: ['ACK'], payloadLength: 5 }))).toBe(false);
    expect(isPureAck(seg({ flags: ['FIN', 'ACK'], payloadLength: 0 }))).toBe(false);
    expect(isPureAck(read(0))).toBe(false);
  });
});

// Properties: any AST printed and parsed again means the same; no input makes the parser throw.
const leaf: fc.Arbitrary<FilterAst> = fc.oneof(
  fc.constantFrom(...FLAG_FIELDS).map((field): FilterAst => ({ type: 'flag', field })),
  fc
    .record({
      field: fc.constantFrom('len', 'seq', 'ack', 'win', 'length', 'offset', 'conn' as const),
      op: fc.constantFrom('==', '!=', '<', '<=', '>', '>=' as const),
      value: fc.nat({ max: 70000 }),
    })
    .map(({ field, op, value }): FilterAst => ({ type: 'compare', field, op, value: { type: 'number', value } })),
  fc
    .record({ op: fc.constantFrom('==', '!=' as const), value: fc.constantFrom('c2s', 's2c') })
    .map(({ op, value }): FilterAst => ({ type: 'compare', field: 'dir', op, value: { type: 'word', value } })),
  fc.uint8Array({ maxLength: 3 }).map((bytes): FilterAst => ({ type: 'contains', bytes })),
);
const ast = fc.letrec<{ node: FilterAst }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ type: fc.constantFrom('and', 'or' as const), left: tie('node'), right: tie('node') }) as fc.Arbitrary<FilterAst>,
    tie('node').map((operand): FilterAst => ({ type: 'not', operand })),
  ),
})).node;

const anySegment = fc
  .record({
    direction: fc.constantFrom('c2s', 's2c' as const),
    flags: fc.subarray(['SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG'] as const),
    payloadLength: fc.nat({ max: 70000 }),
    relativeSeq: fc.nat({ max: 70000 }),
    relativeAck: fc.option(fc.nat({ max: 70000 })),
    window: fc.nat({ max: 70000 }),
    bytes: fc.uint8Array({ maxLength: 8 }),
  })
  .map(({ bytes, ...f }) => seg({ ...f, flags: [...f.flags], hex: [...bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ') }));

function reference(a: FilterAst, e: SegmentEvent): boolean {
  switch (a.type) {
    case 'and':
      return reference(a.left, e) && reference(a.right, e);
    case 'or':
      return reference(a.left, e) || reference(a.right, e);
    case 'not':
      return !reference(a.operand, e);
    case 'flag':
      return (e.flags as string[]).includes(a.field.split('.')[1]!.toUpperCase());
    case 'contains':
      return Buffer.from(e.hex.replaceAll(' ', ''), 'hex').includes(Buffer.from(a.bytes));
    case 'compare': {
      const map: Record<string, number | string | null> = { len: e.payloadLength, seq: e.relativeSeq, ack: e.relativeAck, win: e.window, dir: e.direction, conn: e.connId };
      const v = a.field in map ? map[a.field]! : null;
      if (v === null) return false;
      const b = a.value.value;
      return { '==': v === b, '!=': v !== b, '<': v < b, '<=': v <= b, '>': v > b, '>=': v >= b }[a.op];
    }
  }
}

describe('display filter properties', () => {
  it('a printed filter parses back to one that agrees with a reference evaluation', () => {
    fc.assert(
      fc.property(ast, anySegment, (a, s) => {
        const r = parseFilter(printFilter(a));
        expect(r.ok).toBe(true);
        if (r.ok) expect(evaluate(r.ast, s)).toBe(reference(a, s));
      }),
    );
  });

  it('!!f is f, and De Morgan holds', () => {
    fc.assert(
      fc.property(ast, ast, anySegment, (a, b, s) => {
        const p = printFilter(a);
        const q = printFilter(b);
        expect(matches(`!!${p}`, s)).toBe(matches(p, s));
        expect(matches(`!(${p} && ${q})`, s)).toBe(matches(`!${p} || !${q}`, s));
      }),
    );
  });

  it('never throws: any text is a filter or an error with a position inside it', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'len>=!&|()"\\ x0c2sflags.ackcontains 1'.split('')), maxLength: 30 }), (text) => {
        const r = parseFilter(text);
        if (!r.ok) {
          expect(r.error.position).toBeGreaterThanOrEqual(1);
          expect(r.error.position).toBeLessThanOrEqual(text.length + 1);
        }
      }),
    );
  });
});
