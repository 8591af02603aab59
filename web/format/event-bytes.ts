// Chunk events carry their bytes as hex text. Views need the bytes themselves (ASCII column, ribbon
// cells, hover); decoding once per event keeps scrolling and hovering cheap.
import { fromHex, toAsciiEscaped } from '../../shared/hex.ts';

interface HasHex {
  hex: string;
}

const decoded = new WeakMap<HasHex, Uint8Array>();

export function eventBytes(e: HasHex): Uint8Array {
  let bytes = decoded.get(e);
  if (bytes === undefined) {
    bytes = fromHex(e.hex);
    decoded.set(e, bytes);
  }
  return bytes;
}

const asciiCache = new WeakMap<HasHex, string>();

/** The log's ASCII column: control bytes escaped, `\n` as `\n`. */
export function eventAscii(e: HasHex): string {
  let s = asciiCache.get(e);
  if (s === undefined) {
    s = toAsciiEscaped(eventBytes(e));
    asciiCache.set(e, s);
  }
  return s;
}
