// A payload as the three things people paste: hex, an escaped string literal, a C array. Pure.

/** "48 65 6C 6C 6F": upper case, spaced, as the tutorial logs a read and as every hex column of the page shows it. */
export function asHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += (i > 0 ? ' ' : '') + bytes[i]!.toString(16).toUpperCase().padStart(2, '0');
  return out;
}

const ESC: Record<number, string> = { 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x00: '\\0', 0x5c: '\\\\', 0x22: '\\"' };

/**
 * A double-quoted literal valid in C, JavaScript, Go and Python: printable ASCII as is, the usual escapes,
 * other bytes as \xNN. A hex escape followed by a hex digit is closed (C reads \x41B as one escape),
 * by splitting the literal: "\x01" "B".
 */
export function asEscapedString(bytes: Uint8Array): string {
  let out = '"';
  let afterHex = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const esc = ESC[b];
    if (esc !== undefined && !(b === 0 && i + 1 < bytes.length && bytes[i + 1]! >= 0x30 && bytes[i + 1]! <= 0x37)) {
      out += esc;
      afterHex = false;
    } else if (b >= 0x20 && b < 0x7f) {
      if (afterHex && /[0-9a-fA-F]/.test(String.fromCharCode(b))) out += '" "';
      out += String.fromCharCode(b);
      afterHex = false;
    } else {
      out += '\\x' + b.toString(16).padStart(2, '0');
      afterHex = true;
    }
  }
  return out + '"';
}

/** `unsigned char payload[7] = { 0x48, … };`, twelve bytes a line. */
export function asCArray(bytes: Uint8Array, name = 'payload'): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 12) {
    lines.push('  ' + [...bytes.subarray(i, i + 12)].map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(', ') + (i + 12 < bytes.length ? ',' : ''));
  }
  return `unsigned char ${name}[${bytes.length}] = {${lines.length > 0 ? `\n${lines.join('\n')}\n` : ' '}};`;
}

export type CopyFormat = 'hex' | 'string' | 'c';
export const COPY_FORMATS: ReadonlyArray<{ format: CopyFormat; label: string }> = [
  { format: 'hex', label: 'hex' },
  { format: 'string', label: 'escaped string' },
  { format: 'c', label: 'C array' },
];

export function formatPayload(bytes: Uint8Array, format: CopyFormat): string {
  return format === 'hex' ? asHex(bytes) : format === 'string' ? asEscapedString(bytes) : asCArray(bytes);
}
