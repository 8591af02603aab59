// A display filter for the event log, in the spirit of Wireshark's, small enough to learn in a minute:
//
//   filter  := or
//   or      := and ( "||" and )*
//   and     := not ( "&&" not )*
//   not     := "!" not | "(" filter ")" | field ( op value )?
//   op      := "==" | "!=" | ">" | ">=" | "<" | "<="
//   value   := number | word | "quoted text"
//
// Fields: kind, conn, len (or length: payload bytes of a segment, bytes of a read/write/reply/message),
// dir (c2s or s2c; writes and reads are c2s, replies s2c), seq, ack (relative), offset, win, reason,
// flags.syn / .ack / .psh / .fin / .rst / .urg / .ece / .cwr, and any other field of an event by name.
// A field alone is true when it is set and not 0 or false: `flags.rst`, `truncated`.
// Examples: `len>0`, `flags.rst`, `dir==c2s`, `kind==read && length<7`, `!(kind==sample)`.
// Pure: parse once, then test each event.
import type { TcpEvent } from '../../shared/events.ts';

export type CompareOp = '==' | '!=' | '>' | '>=' | '<' | '<=';
export type FilterNode =
  | { type: 'or' | 'and'; left: FilterNode; right: FilterNode }
  | { type: 'not'; inner: FilterNode }
  | { type: 'field'; field: string }
  | { type: 'compare'; field: string; op: CompareOp; value: string | number };

export type ParsedFilter = { ok: true; node: FilterNode | null } | { ok: false; message: string; at: number };

type Token =
  | { kind: 'op'; text: CompareOp | '&&' | '||' | '!' | '(' | ')'; at: number }
  | { kind: 'word'; text: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'string'; text: string; at: number };

const OPS = ['==', '!=', '>=', '<=', '&&', '||', '>', '<', '!', '(', ')'] as const;

class FilterError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op !== undefined) {
      out.push({ kind: 'op', text: op, at: i });
      i += op.length;
      continue;
    }
    if (c === '"') {
      const end = src.indexOf('"', i + 1);
      if (end < 0) throw new FilterError('a quoted value has no closing "', i);
      out.push({ kind: 'string', text: src.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    const m = /^[A-Za-z0-9_.:-]+/.exec(src.slice(i));
    if (m === null) throw new FilterError(`unexpected "${c}"`, i);
    const text = m[0];
    const n = Number(text);
    out.push(/^-?\d+(\.\d+)?$/.test(text) && Number.isFinite(n) ? { kind: 'number', value: n, at: i } : { kind: 'word', text, at: i });
    i += text.length;
  }
  return out;
}

export function parseFilter(src: string): ParsedFilter {
  try {
    const tokens = tokenize(src);
    if (tokens.length === 0) return { ok: true, node: null };
    let pos = 0;
    const peek = () => tokens[pos];
    const isOp = (text: string) => {
      const t = peek();
      return t !== undefined && t.kind === 'op' && t.text === text;
    };
    const end = () => (tokens.at(-1) ? tokens.at(-1)!.at + 1 : 0);
    const parseOr = (): FilterNode => {
      let left = parseAnd();
      while (isOp('||')) {
        pos++;
        left = { type: 'or', left, right: parseAnd() };
      }
      return left;
    };
    const parseAnd = (): FilterNode => {
      let left = parseNot();
      while (isOp('&&')) {
        pos++;
        left = { type: 'and', left, right: parseNot() };
      }
      return left;
    };
    const parseNot = (): FilterNode => {
      const t = peek();
      if (t === undefined) throw new FilterError('the filter ends where a field was expected', end());
      if (t.kind === 'op' && t.text === '!') {
        pos++;
        return { type: 'not', inner: parseNot() };
      }
      if (t.kind === 'op' && t.text === '(') {
        pos++;
        const inner = parseOr();
        if (!isOp(')')) throw new FilterError('a "(" is not closed', peek()?.at ?? end());
        pos++;
        return inner;
      }
      if (t.kind !== 'word') throw new FilterError(`expected a field name such as len, kind or flags.rst`, t.at);
      pos++;
      const next = peek();
      if (next?.kind === 'op' && ['==', '!=', '>', '>=', '<', '<='].includes(next.text)) {
        pos++;
        const v = peek();
        if (v === undefined || v.kind === 'op') throw new FilterError(`expected a value after ${next.text}`, v?.at ?? end());
        pos++;
        return { type: 'compare', field: t.text.toLowerCase(), op: next.text as CompareOp, value: v.kind === 'number' ? v.value : v.text };
      }
      return { type: 'field', field: t.text.toLowerCase() };
    };
    const node = parseOr();
    const rest = peek();
    if (rest !== undefined) throw new FilterError(`unexpected "${rest.kind === 'number' ? rest.value : rest.text}": join conditions with && or ||`, rest.at);
    return { ok: true, node };
  } catch (e) {
    if (e instanceof FilterError) return { ok: false, message: e.message, at: e.at };
    throw e;
  }
}

/** The filter written back as text: parseFilter(printFilter(n)) gives n again. */
export function printFilter(n: FilterNode): string {
  switch (n.type) {
    case 'or':
      return `(${printFilter(n.left)} || ${printFilter(n.right)})`;
    case 'and':
      return `(${printFilter(n.left)} && ${printFilter(n.right)})`;
    case 'not':
      return `!${printFilter(n.inner)}`;
    case 'field':
      return n.field;
    case 'compare':
      return `${n.field}${n.op}${typeof n.value === 'number' ? n.value : `"${n.value}"`}`;
  }
}

/** The value of a field on an event; undefined when the event has no such field. */
export function fieldValue(e: TcpEvent, field: string): unknown {
  const r = e as unknown as Record<string, unknown>;
  if (field.startsWith('flags.')) {
    const flags = r.flags;
    return Array.isArray(flags) ? flags.map((f) => String(f).toLowerCase()).includes(field.slice(6)) : undefined;
  }
  switch (field) {
    case 'conn':
      return e.connId;
    case 'len':
    case 'length':
      return e.kind === 'segment' ? r.payloadLength : r.length;
    case 'dir':
      return e.kind === 'segment' ? r.direction : e.kind === 'write' || e.kind === 'read' ? 'c2s' : e.kind === 'reply' ? 's2c' : undefined;
    case 'seq':
      return e.kind === 'segment' ? r.relativeSeq : e.seq;
    case 'ack':
      return r.relativeAck;
    case 'win':
      return r.window;
    default:
      return r[field];
  }
}

export function matchesFilter(node: FilterNode | null, e: TcpEvent): boolean {
  if (node === null) return true;
  switch (node.type) {
    case 'or':
      return matchesFilter(node.left, e) || matchesFilter(node.right, e);
    case 'and':
      return matchesFilter(node.left, e) && matchesFilter(node.right, e);
    case 'not':
      return !matchesFilter(node.inner, e);
    case 'field': {
      const v = fieldValue(e, node.field);
      return v !== undefined && v !== null && v !== false && v !== 0 && v !== '';
    }
    case 'compare': {
      const v = fieldValue(e, node.field);
      if (v === undefined || v === null) return node.op === '!=';
      const value = node.value;
      if (typeof v === 'number' && typeof value === 'number') return compare(v, value, node.op);
      const a = String(v).toLowerCase();
      const b = String(value).toLowerCase();
      if (node.op === '==') return a === b;
      if (node.op === '!=') return a !== b;
      return compare(a < b ? -1 : a > b ? 1 : 0, 0, node.op);
    }
  }
}

function compare(a: number, b: number, op: CompareOp): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
  }
}
