// Turns one payload into the bytes a framing puts on the wire. The built-in client and scenarios use it to
// speak a framing (the server's, or deliberately another one); the server can use it to echo a message in
// the framing it arrived in. Pure, and free of Node APIs so that the page can import it too.
import type { Framing } from './config.ts';

const utf8 = new TextEncoder();

/** A delimiter is configured as text; on the wire it is that text's UTF-8 bytes. */
export function delimiterBytes(delimiter: string): Uint8Array {
  return utf8.encode(delimiter);
}

/** The largest payload length a big-endian prefix of this many bytes can announce. */
export function lengthPrefixCapacity(prefixBytes: 1 | 2 | 4): number {
  return prefixBytes === 4 ? 0xffffffff : prefixBytes === 2 ? 0xffff : 0xff;
}

export interface EncodeOptions {
  /** `fixed` pads a short payload with this byte (default 0x00, as fixed-size records usually are). */
  padByte?: number;
}

/**
 * The bytes of one frame. `raw` adds nothing. `delimiter` appends the delimiter (a payload that contains it
 * will be cut there by the server: that is the framing's nature, not an encoding error). `fixed` pads or
 * truncates to exactly `size` bytes. `length-prefix` prepends the big-endian length; `maxMessageBytes` is
 * deliberately not enforced here, so that a client can send an oversize message on purpose.
 * Throws RangeError only when the prefix cannot hold the length at all (over 255 bytes with a 1-byte prefix).
 */
export function encodeMessage(payload: Uint8Array, framing: Framing, options: EncodeOptions = {}): Uint8Array {
  switch (framing.mode) {
    case 'raw':
      return payload.slice();
    case 'delimiter': {
      const delim = delimiterBytes(framing.delimiter);
      const out = new Uint8Array(payload.length + delim.length);
      out.set(payload, 0);
      out.set(delim, payload.length);
      return out;
    }
    case 'fixed': {
      const out = new Uint8Array(framing.size);
      const pad = options.padByte ?? 0;
      if (pad !== 0) out.fill(pad);
      out.set(payload.length > framing.size ? payload.subarray(0, framing.size) : payload, 0);
      return out;
    }
    case 'length-prefix': {
      const p = framing.prefixBytes;
      const n = payload.length;
      if (n > lengthPrefixCapacity(p)) {
        throw new RangeError(`a ${p}-byte length prefix holds at most ${lengthPrefixCapacity(p)}; the payload has ${n} bytes`);
      }
      const out = new Uint8Array(p + n);
      // Division instead of >>> keeps the arithmetic exact for 4-byte prefixes above 2^31.
      let v = n;
      for (let i = p - 1; i >= 0; i--) {
        out[i] = v % 256;
        v = Math.floor(v / 256);
      }
      out.set(payload, p);
      return out;
    }
  }
}

/** Several frames back to back, as one stream. */
export function encodeMessages(payloads: readonly Uint8Array[], framing: Framing, options: EncodeOptions = {}): Uint8Array {
  const frames = payloads.map((p) => encodeMessage(p, framing, options));
  let total = 0;
  for (const f of frames) total += f.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const f of frames) {
    out.set(f, at);
    at += f.length;
  }
  return out;
}
