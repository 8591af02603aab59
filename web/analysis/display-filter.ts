// A display filter in the spirit of Wireshark's, small enough to learn at a glance. Pure: text in,
// a predicate over events out, or an error that names the position (1-based) and the token.
//
//   expr   := or
//   or     := and ( '||' and )*
//   and    := unary ( '&&' unary )*
//   unary  := '!' unary | '(' expr ')' | 'contains' bytes | field ( op value )?
//   op     := == | != | < | <= | > | >=
//   value  := number (decimal or 0x…) | word (c2s, read, …) | "string"
//   bytes  := "text" (\n \r \t \\ \" \xNN escapes) | 0x48656c6c6f
//
// Segment fields: len seq ack win dir(c2s|s2c) flags.syn/ack/fin/rst/psh/urg; event fields: kind length
// offset conn (conn and kind also apply to segments). A field an item lacks makes its test false, as in
// Wireshark: `len > 0` keeps only segments. Only boolean fields (flags.*) stand alone.
import type { TcpEvent } from '../../shared/events.ts';
import { fromHex } from '../../shared/hex.ts';

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type Value = { type: 'number'; value: number } | { type: 'word'; value: string };

export type FilterAst =
  | { type: 'and' | 'or'; left: FilterAst; right: FilterAst }
  | { type: 'not'; operand: FilterAst }
  | { type: 'flag'; field: FlagField }
  | { type: 'compare'; field: ValueField; op: CompareOp; value: Value }
  | { type: 'contains'; bytes: Uint8Array };

export const FLAG_FIELDS = ['flags.syn', 'flags.ack', 'flags.fin', 'flags.rst', 'flags.psh', 'flags.urg'] as const;
export const NUMBER_FIELDS = ['len', 'seq', 'ack', 'win', 'length', 'offset', 'conn'] as const;
export const WORD_FIELDS = ['dir', 'kind'] as const;
export type FlagField = (typeof FLAG_FIELDS)[number];
export type NumberField = (typeof NUMBER_FIELDS)[number];
export type WordField = (typeof WORD_FIELDS)[number];
export type ValueField = NumberField | WordField;
export const FIELDS: readonly string[] = [...NUMBER_FIELDS, ...WORD_FIELDS, ...FLAG_FIELDS];

export class FilterError extends Error {
  constructor(
    message: string,
    /** 1-based character position of the offending token. */
    readonly position: number,
  ) {
    super(`${message} at ${position}`);
    this.name = 'FilterError';
  }
}

export type ParseResult = { ok: true; ast: FilterAst | null } | { ok: false; error: FilterError };

type Token =
  | { kind: 'op'; text: CompareOp | '&&' | '||' | '!' | '(' | ')'; pos: number }
  | { kind: 'name'; text: string; pos: number }
  | { kind: 'number'; text: string; value: number; pos: number }
  | { kind: 'string'; text: string; value: string; pos: number }
  | { kind: 'end'; text: string; pos: number };

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')'] as const;

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const pos = i + 1;
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op !== undefined) {
      out.push({ kind: 'op', text: op, pos } as Token);
      i += op.length;
      continue;
    }
    if (c === '"') {
      let value = '';
      let j = i + 1;
      for (; j < src.length && src[j] !== '"'; j++) {
        if (src[j] !== '\\') {
          value += src[j];
          continue;
        }
        const e = src[j + 1];
        if (e === 'n') value += '\n';
        else if (e === 'r') value += '\r';
        else if (e === 't') value += '\t';
        else if (e === '\\' || e === '"') value += e;
        else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(src.slice(j + 2, j + 4))) {
          value += String.fromCharCode(parseInt(src.slice(j + 2, j + 4), 16));
          j += 2;
        } else throw new FilterError(`unknown escape '\\${e ?? ''}' in string`, j + 1);
        j++;
      }
      if (j >= src.length) throw new FilterError('unterminated string', pos);
      out.push({ kind: 'string', text: src.slice(i, j + 1), value, pos });
      i = j + 1;
      continue;
    }
    const m = /^(0x[0-9a-fA-F]+|\d+|[A-Za-z_][\w.]*)/.exec(src.slice(i));
    if (m === null) throw new FilterError(`unexpected '${c}'`, pos);
    const text = m[1]!;
    if (/^\d|^0x/.test(text)) {
      if (/[A-Za-z_]/.test(src[i + text.length] ?? '')) throw new FilterError(`bad number '${(/^[\w.]+/.exec(src.slice(i)) ?? [text])[0]}'`, pos);
      out.push({ kind: 'number', text, value: Number(text), pos });
    } else out.push({ kind: 'name', text, pos });
    i += text.length;
  }
  out.push({ kind: 'end', text: 'end of filter', pos: src.length + 1 });
  return out;
}

const COMPARE_OPS: readonly string[] = ['==', '!=', '<', '<=', '>', '>='];

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i]!;
  }
  private next(): Token {
    return this.tokens[this.i++]!;
  }
  private isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }

  parseAll(): FilterAst {
    const ast = this.or();
    const t = this.peek();
    if (t.kind !== 'end') throw new FilterError(`unexpected '${t.text}'`, t.pos);
    return ast;
  }

  private or(): FilterAst {
    let left = this.and();
    while (this.isOp('||')) {
      this.next();
      left = { type: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): FilterAst {
    let left = this.unary();
    while (this.isOp('&&')) {
      this.next();
      left = { type: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): FilterAst {
    const t = this.next();
    if (t.kind === 'op' && t.text === '!') return { type: 'not', operand: this.unary() };
    if (t.kind === 'op' && t.text === '(') {
      const inner = this.or();
      const close = this.next();
      if (close.kind !== 'op' || close.text !== ')') throw new FilterError(`expected ')' but found '${close.text}'`, close.pos);
      return inner;
    }
    if (t.kind === 'end') throw new FilterError('expected a field, \'!\', \'(\' or contains but the filter ended', t.pos);
    if (t.kind !== 'name') throw new FilterError(`expected a field but found '${t.text}'`, t.pos);
    if (t.text === 'contains') return { type: 'contains', bytes: this.bytes() };
    const field = t.text.toLowerCase();
    if ((FLAG_FIELDS as readonly string[]).includes(field)) {
      if (this.peek().kind === 'op' && COMPARE_OPS.includes(this.peek().text)) {
        throw new FilterError(`'${t.text}' is true or false and takes no comparison; write '${field}' or '!${field}'`, this.peek().pos);
      }
      return { type: 'flag', field: field as FlagField };
    }
    if (!FIELDS.includes(field)) throw new FilterError(`unknown field '${t.text}'`, t.pos);
    const op = this.peek();
    if (op.kind !== 'op' || !COMPARE_OPS.includes(op.text)) {
      throw new FilterError(`'${t.text}' needs a comparison (== != < <= > >=), found '${op.text}'`, op.pos);
    }
    this.next();
    const v = this.next();
    const isWord = (WORD_FIELDS as readonly string[]).includes(field);
    if (isWord) {
      if (op.text !== '==' && op.text !== '!=') throw new FilterError(`'${field}' compares only with == or !=, not '${op.text}'`, op.pos);
      if (v.kind !== 'name' && v.kind !== 'string') throw new FilterError(`'${field}' takes a word, found '${v.text}'`, v.pos);
      const word = v.kind === 'string' ? v.value : v.text;
      if (field === 'dir' && word !== 'c2s' && word !== 's2c') throw new FilterError(`dir is c2s or s2c, not '${word}'`, v.pos);
      return { type: 'compare', field: field as WordField, op: op.text as CompareOp, value: { type: 'word', value: word } };
    }
    if (v.kind !== 'number') throw new FilterError(`'${field}' takes a number, found '${v.text}'`, v.pos);
    return { type: 'compare', field: field as NumberField, op: op.text as CompareOp, value: { type: 'number', value: v.value } };
  }

  private bytes(): Uint8Array {
    const v = this.next();
    if (v.kind === 'string') return new TextEncoder().encode(v.value);
    if (v.kind === 'number' && v.text.startsWith('0x') && v.text.length % 2 === 0) return fromHex(v.text.slice(2).replace(/../g, '$& ').trim());
    throw new FilterError(`contains takes "text" or 0x followed by pairs of hex digits, found '${v.text}'`, v.pos);
  }
}

/** Parses a filter; an empty (or all-blank) filter is `ast: null`, which keeps everything. */
export function parseFilter(src: string): ParseResult {
  try {
    if (src.trim() === '') return { ok: true, ast: null };
    return { ok: true, ast: new Parser(tokenize(src)).parseAll() };
  } catch (e) {
    if (e instanceof FilterError) return { ok: false, error: e };
    throw e;
  }
}

/** A field's value on an item, or undefined when the item has no such field. */
export function fieldValue(e: TcpEvent, field: ValueField): number | string | undefined {
  switch (field) {
    case 'kind':
      return e.kind;
    case 'conn':
      return e.connId;
    case 'dir':
      return e.kind === 'segment' ? e.direction : undefined;
    case 'len':
      return e.kind === 'segment' ? e.payloadLength : undefined;
    case 'seq':
      return e.kind === 'segment' ? e.relativeSeq : undefined;
    case 'ack':
      return e.kind === 'segment' ? (e.relativeAck ?? undefined) : undefined;
    case 'win':
      return e.kind === 'segment' ? e.window : undefined;
    case 'length':
    case 'offset':
      return 'length' in e && 'offset' in e ? e[field] : undefined;
  }
}

/** The bytes an item carries (a segment's payload, a chunk's data), as far as the page holds them. */
export function payloadHex(e: TcpEvent): string | undefined {
  return 'hex' in e && typeof e.hex === 'string' ? e.hex : undefined;
}

const bytesCache = new WeakMap<object, Uint8Array>();
function payloadBytes(e: TcpEvent): Uint8Array | undefined {
  const hex = payloadHex(e);
  if (hex === undefined) return undefined;
  let b = bytesCache.get(e);
  if (b === undefined) {
    b = fromHex(hex);
    bytesCache.set(e, b);
  }
  return b;
}

export function indexOfBytes(hay: Uint8Array, needle: Uint8Array): number {
  if (needle.length === 0) return 0;
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function compare(a: number | string, op: CompareOp, b: number | string): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

export function evaluate(ast: FilterAst | null, e: TcpEvent): boolean {
  if (ast === null) return true;
  switch (ast.type) {
    case 'and':
      return evaluate(ast.left, e) && evaluate(ast.right, e);
    case 'or':
      return evaluate(ast.left, e) || evaluate(ast.right, e);
    case 'not':
      return !evaluate(ast.operand, e);
    case 'flag':
      return e.kind === 'segment' && e.flags.includes(ast.field.slice(6).toUpperCase() as never);
    case 'compare': {
      const v = fieldValue(e, ast.field);
      return v !== undefined && compare(v, ast.op, ast.value.value);
    }
    case 'contains': {
      const bytes = payloadBytes(e);
      return bytes !== undefined && indexOfBytes(bytes, ast.bytes) >= 0;
    }
  }
}

/** A segment that only acknowledges: ACK alone, no payload. */
export function isPureAck(e: TcpEvent): boolean {
  return e.kind === 'segment' && e.payloadLength === 0 && e.flags.length === 1 && e.flags[0] === 'ACK';
}

/** Prints an AST back as filter text that parses to the same AST (used by the property tests). */
export function printFilter(ast: FilterAst): string {
  switch (ast.type) {
    case 'and':
      return `(${printFilter(ast.left)} && ${printFilter(ast.right)})`;
    case 'or':
      return `(${printFilter(ast.left)} || ${printFilter(ast.right)})`;
    case 'not':
      return `!${printFilter(ast.operand)}`;
    case 'flag':
      return ast.field;
    case 'compare':
      return `${ast.field} ${ast.op} ${ast.value.value}`;
    case 'contains':
      return ast.bytes.length === 0 ? 'contains ""' : `contains 0x${[...ast.bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
  }
}
