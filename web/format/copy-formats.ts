// A payload copied out of the page in the forms people paste elsewhere: hex as the tutorial logs it,
// an escaped string (what the burst form takes back), or a C array. Pure, byte-exact.
import { toHex } from '../../shared/hex.ts';

export type CopyFormat = 'hex' | 'escaped' | 'c';

export const COPY_FORMATS: { format: CopyFormat; label: string }[] = [
  { format: 'hex', label: 'hex' },
  { format: 'escaped', label: 'escaped' },
  { format: 'c', label: 'C array' },
];

/** `48 65 0A`; `He\n` (bytes outside printable ASCII as \xNN, so it reads back byte for byte); a C array. */
export function formatBytesAs(bytes: Uint8Array, format: CopyFormat): string {
  switch (format) {
    case 'hex':
      return toHex(bytes, 0, bytes.length);
    case 'escaped': {
      let out = '';
      for (const b of bytes) {
        if (b === 0x0a) out += '\\n';
        else if (b === 0x0d) out += '\\r';
        else if (b === 0x09) out += '\\t';
        else if (b === 0x5c) out += '\\\\';
        else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
        else out += `\\x${b.toString(16).padStart(2, '0')}`;
      }
      return out;
    }
    case 'c': {
      const items = Array.from(bytes, (b) => `0x${b.toString(16).padStart(2, '0')}`);
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += 12) lines.push(`  ${items.slice(i, i + 12).join(', ')}`);
      return `const unsigned char payload[${bytes.length}] = {\n${lines.join(',\n')}\n};`;
    }
  }
}
