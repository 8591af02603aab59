// The JSON of one live batch, written straight into bytes. A busy batch is up to LIVE_BATCH_MAX_EVENTS
// chunk events; building each as an object, formatting its hex as a string, stringifying the whole and
// encoding that string to UTF-8 made four passes and as many allocations per event. Here chunk events go
// from the store's columns to bytes in one pass, hex included; other events (rare) are stringified as
// before. The bytes are exactly what JSON.stringify would give (batch-json.test.ts checks it).
import type { TcpEvent } from '../../shared/events.ts';

/** Where the store writes an event in wire form without making an object of it. */
export interface WireEventSink {
  chunk(kind: string, seq: number, t: number, connId: number, offset: number, length: number, truncated: boolean, bytes: Uint8Array, start: number, end: number, requested: number): void;
  object(e: TcpEvent): void;
}

const HEX = new Uint8Array(512);
for (let b = 0; b < 256; b++) {
  const s = b.toString(16).toUpperCase().padStart(2, '0');
  HEX[2 * b] = s.charCodeAt(0);
  HEX[2 * b + 1] = s.charCodeAt(1);
}

export class BatchJsonWriter implements WireEventSink {
  private buf = new Uint8Array(64 * 1024);
  private pos = 0;
  private events = 0;

  /** Starts a batch message: `{"type":"batch","events":[`. */
  begin(): void {
    this.pos = 0;
    this.events = 0;
    this.ascii('{"type":"batch","events":[');
  }

  chunk(kind: string, seq: number, t: number, connId: number, offset: number, length: number, truncated: boolean, bytes: Uint8Array, start: number, end: number, requested: number): void {
    this.comma();
    // Keys in the order the store's wire objects have them, so that the bytes match JSON.stringify's.
    this.ascii(`{"kind":"${kind}","seq":${seq},"t":${t},"connId":${connId},"offset":${offset},"length":${length},"truncated":${truncated},"hex":"`);
    const n = end - start;
    if (n > 0) {
      this.room(n * 3);
      const b = this.buf;
      let j = this.pos;
      for (let i = start; i < end; i++) {
        if (i > start) b[j++] = 0x20;
        const h = bytes[i]! * 2;
        b[j++] = HEX[h]!;
        b[j++] = HEX[h + 1]!;
      }
      this.pos = j;
    }
    // `requested` (what a watched server's call asked for) is last, as in the store's wire objects; -1 is none.
    this.ascii(requested >= 0 && kind !== 'write' ? `","requested":${requested}}` : '"}');
  }

  object(e: TcpEvent): void {
    this.comma();
    this.utf8(JSON.stringify(e));
  }

  /**
   * Ends the message with the count of events left out, of chunks summarised (written only when some
   * were) and the changed connections; returns a copy of its bytes.
   */
  end(skipped: number, summarised: number, connections: unknown[]): Buffer {
    this.ascii(summarised > 0 ? `],"skipped":${skipped},"summarised":${summarised},"connections":` : `],"skipped":${skipped},"connections":`);
    this.utf8(JSON.stringify(connections));
    this.ascii('}');
    return Buffer.from(this.buf.subarray(0, this.pos));
  }

  private comma(): void {
    if (this.events++ > 0) this.ascii(',');
  }

  private ascii(s: string): void {
    this.room(s.length);
    const b = this.buf;
    let j = this.pos;
    for (let i = 0; i < s.length; i++) b[j++] = s.charCodeAt(i);
    this.pos = j;
  }

  private utf8(s: string): void {
    this.room(Buffer.byteLength(s));
    this.pos += Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.length).write(s, this.pos, 'utf8');
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
}
