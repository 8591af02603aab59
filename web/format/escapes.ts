// The burst payload is typed into a one-line input, so newlines and other control bytes travel as
// escapes there. These two functions translate between what the user types and the real string.

const SIMPLE: Record<string, string> = { n: '\n', r: '\r', t: '\t', '0': '\0', '\\': '\\' };
const REVERSE: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0', '\\': '\\\\' };

/** `Hello{n}\n` as typed becomes "Hello{n}" plus a real newline. Unknown escapes stay literal. */
export function unescapePayload(typed: string): string {
  let out = '';
  for (let i = 0; i < typed.length; i++) {
    const c = typed[i]!;
    if (c !== '\\' || i === typed.length - 1) {
      out += c;
      continue;
    }
    const next = typed[i + 1]!;
    const simple = SIMPLE[next];
    if (simple !== undefined) {
      out += simple;
      i++;
      continue;
    }
    if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(typed.slice(i + 2, i + 4))) {
      out += String.fromCharCode(parseInt(typed.slice(i + 2, i + 4), 16));
      i += 3;
      continue;
    }
    out += c;
  }
  return out;
}

/** The inverse for display: what the user would type to get `s`. */
export function escapePayload(s: string): string {
  let out = '';
  for (const c of s) {
    const esc = REVERSE[c];
    if (esc !== undefined) out += esc;
    else if (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) out += '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0');
    else out += c;
  }
  return out;
}

/** UTF-8 length of one write, with `{n}` as the server expands it for write number `n`. */
export function writeBytes(payload: string, n: number): number {
  return new TextEncoder().encode(payload.replaceAll('{n}', String(n))).length;
}
