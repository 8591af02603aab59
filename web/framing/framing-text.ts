// Framing as the page speaks of it: a short description for labels and captions, defaults for each
// mode, and equality that does not care about key order.
import { FRAMING_MAX_MESSAGE_BYTES_DEFAULT, type Framing } from '../../shared/config.ts';
import { escapePayload } from '../format/escapes.ts';

export const FRAMING_MODES: Framing['mode'][] = ['raw', 'delimiter', 'fixed', 'length-prefix'];

/** What choosing a mode sets before the user tunes it: the tutorial's newline, its 7-byte messages, a 2-byte prefix. */
export function defaultFraming(mode: Framing['mode']): Framing {
  switch (mode) {
    case 'raw':
      return { mode };
    case 'delimiter':
      return { mode, delimiter: '\n', maxMessageBytes: FRAMING_MAX_MESSAGE_BYTES_DEFAULT };
    case 'fixed':
      return { mode, size: 7 };
    case 'length-prefix':
      return { mode, prefixBytes: 2, maxMessageBytes: FRAMING_MAX_MESSAGE_BYTES_DEFAULT };
  }
}

/** "raw", "delimiter \n (max 65536 B)", "fixed 7 B", "length-prefix 2 B (max 64 B)". */
export function describeFraming(f: Framing): string {
  switch (f.mode) {
    case 'raw':
      return 'raw';
    case 'delimiter':
      return `delimiter ${escapePayload(f.delimiter)} (max ${f.maxMessageBytes} B)`;
    case 'fixed':
      return `fixed ${f.size} B`;
    case 'length-prefix':
      return `length-prefix ${f.prefixBytes} B (max ${f.maxMessageBytes} B)`;
  }
}

export function sameFramingShape(a: Framing, b: Framing): boolean {
  return describeFraming(a) === describeFraming(b) && (a.mode !== 'delimiter' || (b.mode === 'delimiter' && a.delimiter === b.delimiter));
}
