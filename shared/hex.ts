// Byte formatting shared by the server (events) and the page (log, ribbon, packet detail).

const HEX_PAIRS: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

/** "48 65 6C 6C 6F 31 0A": the tutorial's format, uppercase pairs joined by single spaces. */
export function toHex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  if (end <= start) return '';
  let out = HEX_PAIRS[bytes[start]!]!;
  for (let i = start + 1; i < end; i++) out += ' ' + HEX_PAIRS[bytes[i]!]!;
  return out;
}

export function fromHex(hex: string): Uint8Array {
  if (hex === '') return new Uint8Array(0);
  const parts = hex.split(' ');
  const out = new Uint8Array(parts.length);
  for (let i = 0; i < parts.length; i++) out[i] = parseInt(parts[i]!, 16);
  return out;
}

const ESCAPES: Record<number, string> = { 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x00: '\\0', 0x5c: '\\\\' };

/** Printable ASCII as is; \n, \r, \t, \0 and \\ escaped; other bytes as \xNN. */
export function toAsciiEscaped(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const esc = ESCAPES[b];
    if (esc !== undefined) out += esc;
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += '\\x' + HEX_PAIRS[b]!;
  }
  return out;
}
