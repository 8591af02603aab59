// In the store, an event's bytes stay bytes: hex is formatted only when an event leaves the process
// (a batch, a snapshot, a query), and at the length that reader wants.
import type { TcpEvent } from '../../shared/events.ts';
import { toHex } from '../../shared/hex.ts';

type WithBytes<E> = E extends { hex: string } ? Omit<E, 'hex'> & { bytes: Uint8Array } : E;
/** A TcpEvent whose `hex` is kept as the (already capped) bytes it stands for. */
export type StoredEvent = WithBytes<TcpEvent>;
/** What a producer hands the recorder: everything but `seq`, which the recorder assigns. */
export type NewEvent = StoredEvent extends infer E ? (E extends unknown ? Omit<E, 'seq'> : never) : never;

/** The wire form, with at most `maxBytes` of each chunk's bytes as hex. */
export function toWire(e: StoredEvent, maxBytes: number): TcpEvent {
  if (!('bytes' in e)) return e;
  const bytes = e.bytes;
  const n = Math.min(bytes.length, maxBytes);
  // A copy by a plain loop: a rest-destructuring and a spread of a segment event (twenty fields) took
  // 2.5 times as long, thousands of times a second in the live batches. Keys keep their order: `truncated`
  // where it was, `hex` last, as the spread gave them.
  const out: Record<string, unknown> = {};
  for (const k in e) if (k !== 'bytes') out[k] = e[k as keyof typeof e];
  out.hex = toHex(bytes, 0, n);
  out.truncated = e.truncated || n < bytes.length;
  return out as unknown as TcpEvent;
}
