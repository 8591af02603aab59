// The classic three-column dump (offset, hex, ASCII) that the event detail shows for a whole chunk.
import { toHex } from '../../shared/hex.ts';

export interface HexdumpRow {
  /** Stream offset of the row's first byte, as 8 hex digits. */
  offset: string;
  /** Up to `width` uppercase pairs, an extra space after the middle one so columns line up. */
  hex: string;
  /** Printable ASCII as is, everything else as '.', so each byte takes exactly one column. */
  ascii: string;
}

export function hexdumpRows(bytes: Uint8Array, startOffset = 0, width = 16): HexdumpRow[] {
  const rows: HexdumpRow[] = [];
  const half = width / 2;
  for (let at = 0; at < bytes.length; at += width) {
    const end = Math.min(at + width, bytes.length);
    const left = toHex(bytes, at, Math.min(at + half, end));
    const right = at + half < end ? toHex(bytes, at + half, end) : '';
    let ascii = '';
    for (let i = at; i < end; i++) {
      const b = bytes[i]!;
      ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
    rows.push({
      offset: (startOffset + at).toString(16).toUpperCase().padStart(8, '0'),
      hex: right === '' ? left : `${left}  ${right}`,
      ascii,
    });
  }
  return rows;
}
