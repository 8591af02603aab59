// The raw captured frames of each connection, kept for pcap export. Bounded twice: the newest
// `perConnBytes` of each connection, and `totalBytes` over all of them (the oldest frames anywhere go
// first). Frames are evicted whole; a connection whose frames are all gone is forgotten.
import { PCAP_PER_CONNECTION_BYTES, PCAP_TOTAL_BYTES } from '../../shared/wire.ts';
import type { PcapFrame } from './pcap-writer.ts';

export interface StoredFrame extends PcapFrame {
  linkType: number;
}

export interface FrameStoreLimits {
  perConnBytes: number;
  totalBytes: number;
}

export const DEFAULT_FRAME_STORE_LIMITS: FrameStoreLimits = {
  perConnBytes: PCAP_PER_CONNECTION_BYTES,
  totalBytes: PCAP_TOTAL_BYTES,
};

interface Entry {
  connId: number;
  frame: StoredFrame;
  evicted: boolean;
}

/** An array queue with a moving head: O(1) push and shift, compacted once half of it is dead. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(x: T): void {
    this.items.push(x);
  }
  peek(): T | undefined {
    return this.items[this.head];
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const x = this.items[this.head]!;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return x;
  }
  *[Symbol.iterator](): Iterator<T> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i]!;
  }
}

interface ConnFrames {
  entries: Fifo<Entry>;
  bytes: number;
}

export interface FrameStore {
  add(connId: number, frame: StoredFrame): void;
  /** The connection's frames, oldest first, or undefined if none are kept. */
  framesOf(connId: number): StoredFrame[] | undefined;
  bytes(): number;
}

export function createFrameStore(limits: Partial<FrameStoreLimits> = {}): FrameStore {
  const lim = { ...DEFAULT_FRAME_STORE_LIMITS, ...limits };
  const conns = new Map<number, ConnFrames>();
  // Every kept frame in arrival order; entries evicted by their connection's bound stay here as
  // tombstones until they reach the head, and count toward `tombstones` so they cannot pile up.
  let all = new Fifo<Entry>();
  let total = 0;
  let tombstones = 0;

  function evict(c: ConnFrames, e: Entry): void {
    e.evicted = true;
    c.bytes -= e.frame.data.length;
    total -= e.frame.data.length;
    if (c.entries.length === 0) conns.delete(e.connId);
  }

  function dropTombstones(): void {
    while (all.peek()?.evicted === true) {
      all.shift();
      tombstones--;
    }
  }

  return {
    bytes: () => total,
    add(connId, frame) {
      const size = frame.data.length;
      if (size > lim.perConnBytes || size > lim.totalBytes) return;
      let c = conns.get(connId);
      if (c === undefined) {
        c = { entries: new Fifo(), bytes: 0 };
        conns.set(connId, c);
      }
      const e: Entry = { connId, frame, evicted: false };
      c.entries.push(e);
      c.bytes += size;
      total += size;
      all.push(e);
      while (c.bytes > lim.perConnBytes) {
        evict(c, c.entries.shift()!);
        tombstones++;
      }
      dropTombstones();
      while (total > lim.totalBytes) {
        const oldest = all.shift()!;
        // The global oldest is always its own connection's oldest, as both queues keep arrival order.
        const oc = conns.get(oldest.connId)!;
        oc.entries.shift();
        evict(oc, oldest);
        dropTombstones();
      }
      // Tombstones behind live entries: rebuild once they outnumber the live frames.
      if (tombstones > 1024 && tombstones > all.length / 2) {
        const live = new Fifo<Entry>();
        for (const x of all) if (!x.evicted) live.push(x);
        all = live;
        tombstones = 0;
      }
    },
    framesOf(connId) {
      const c = conns.get(connId);
      if (c === undefined) return undefined;
      return [...c.entries].map((e) => e.frame);
    },
  };
}
