// Byte formatting shared by the server (events) and the page (log, ribbon, packet detail).

const HEX_PAIRS: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));
/** The two ASCII codes of each byte's hex pair, at [2b] and [2b + 1]. */
const HEX_CODES = new Uint8Array(512);
for (let b = 0; b < 256; b++) {
  HEX_CODES[2 * b] = HEX_PAIRS[b]!.charCodeAt(0);
  HEX_CODES[2 * b + 1] = HEX_PAIRS[b]!.charCodeAt(1);
}
const ascii = new TextDecoder();

/**
 * "48 65 6C 6C 6F 31 0A": the tutorial's format, uppercase pairs joined by single spaces.
 * Built as bytes and decoded once, so the result is one flat string: joining thousands of small
 * strings would leave a rope of thousands of nodes behind every event that keeps its hex.
 */
export function toHex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const n = end - start;
  if (n <= 0) return '';
  const out = new Uint8Array(n * 3 - 1);
  let j = 0;
  for (let i = start; i < end; i++) {
    if (j > 0) out[j++] = 0x20;
    const b = bytes[i]! * 2;
    out[j++] = HEX_CODES[b]!;
    out[j++] = HEX_CODES[b + 1]!;
  }
  return ascii.decode(out);
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
