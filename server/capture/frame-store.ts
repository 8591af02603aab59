// The raw captured frames of each connection, kept for pcap export. Frames are appended, already in
// pcap record form, to blocks of bytes per connection, so a kept frame is a few bytes in a block and no
// object: under a flood of small segments the store costs what its bound says, not several times it in
// per-frame objects for the garbage collector to chase. Bounded twice, in bytes allocated: the newest
// `perConnBytes` of each connection and `totalBytes` over all of them. Whole blocks are evicted, oldest
// first (the oldest block anywhere when the total is over); a connection with no block left is forgotten.
import { PCAP_PER_CONNECTION_BYTES, PCAP_TOTAL_BYTES } from '../../shared/limits.ts';
import { PCAP_RECORD_HEADER_BYTES } from './pcap-reader.ts';
import { type PcapFrame, pcapGlobalHeader } from './pcap-writer.ts';

export interface StoredFrame extends PcapFrame {
  linkType: number;
}

export interface FrameStoreLimits {
  perConnBytes: number;
  totalBytes: number;
  /** Largest block; a connection's first block is small and each next one doubles up to this. */
  blockBytes: number;
}

export const DEFAULT_FRAME_STORE_LIMITS: FrameStoreLimits = {
  perConnBytes: PCAP_PER_CONNECTION_BYTES,
  totalBytes: PCAP_TOTAL_BYTES,
  // 128 KiB: at glibc's mmap threshold as tcpscope sets it (GLIBC_TUNABLES), so each block is a mapping of
  // its own, unmapped when freed. At 64 KiB they came from malloc's main arena, interleaved with short-lived
  // buffers, and after a flood the arena kept 10–20 MB it could not give back (RSS after the bench's flood:
  // 118–146 MB with 64 KiB blocks, 118–137 MB with 128 KiB).
  blockBytes: 128 * 1024,
};
const FIRST_BLOCK_BYTES = 1024;
/**
 * Evicted full-size blocks kept for reuse (at most this many, 2 MiB at the default size). Under a flood
 * the store evicts a block for each one it makes: allocating them afresh was page faults and external
 * memory that brought on major GCs, on the thread that serves the echo.
 */
const POOLED_BLOCKS = 16;

interface Block {
  connId: number;
  linkType: number;
  bytes: Uint8Array;
  used: number;
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
  last(): T | undefined {
    return this.items.length > this.head ? this.items[this.items.length - 1] : undefined;
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const x = this.items[this.head]!;
    this.head++;
    if (this.head > 64 && this.head * 2 > this.items.length) {
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
  blocks: Fifo<Block>;
  bytes: number;
}

export interface FrameStore {
  add(connId: number, frame: StoredFrame): void;
  /** The connection's frames, oldest first, or undefined if none are kept. */
  framesOf(connId: number): StoredFrame[] | undefined;
  /** The connection's frames as a pcap file (one link type: the first kept frame's), or undefined if none are kept. */
  pcapOf(connId: number): Buffer | undefined;
  /** Bytes allocated for kept frames, over all connections. */
  bytes(): number;
  /** Drops every frame of the connection (a new session forgets closed connections). */
  forget(connId: number): void;
}

export function createFrameStore(limits: Partial<FrameStoreLimits> = {}): FrameStore {
  const lim = { ...DEFAULT_FRAME_STORE_LIMITS, ...limits };
  const conns = new Map<number, ConnFrames>();
  // Every block in the order it was made; blocks evicted by their connection's bound stay as
  // tombstones until they reach the head, and are counted so that they cannot pile up.
  let all = new Fifo<Block>();
  let total = 0;
  let tombstones = 0;
  const pool: Uint8Array[] = [];

  function evict(c: ConnFrames, b: Block): void {
    b.evicted = true;
    // Nothing outside holds a block's bytes (exports copy them), so they can be written again.
    if (b.bytes.length === lim.blockBytes && pool.length < POOLED_BLOCKS) pool.push(b.bytes);
    c.bytes -= b.bytes.length;
    total -= b.bytes.length;
    if (c.blocks.length === 0) conns.delete(b.connId);
  }

  function dropTombstones(): void {
    while (all.peek()?.evicted === true) {
      all.shift();
      tombstones--;
    }
  }

  function blockFor(connId: number, c: ConnFrames, linkType: number, size: number): Block | null {
    const last = c.blocks.last();
    if (last !== undefined && last.linkType === linkType && last.bytes.length - last.used >= size) return last;
    const grown = last === undefined ? FIRST_BLOCK_BYTES : Math.min(lim.blockBytes, last.bytes.length * 2);
    const capacity = Math.max(size, Math.min(grown, lim.perConnBytes, lim.totalBytes));
    if (capacity > lim.perConnBytes || capacity > lim.totalBytes) return null;
    const bytes = capacity === lim.blockBytes && pool.length > 0 ? pool.pop()! : new Uint8Array(capacity);
    const b: Block = { connId, linkType, bytes, used: 0, evicted: false };
    c.blocks.push(b);
    c.bytes += capacity;
    total += capacity;
    all.push(b);
    while (c.bytes > lim.perConnBytes) {
      evict(c, c.blocks.shift()!);
      tombstones++;
    }
    dropTombstones();
    while (total > lim.totalBytes) {
      const oldest = all.shift()!;
      // The oldest block anywhere is its own connection's oldest: both queues keep the order made.
      const oc = conns.get(oldest.connId)!;
      oc.blocks.shift();
      evict(oc, oldest);
      dropTombstones();
    }
    if (tombstones > 64 && tombstones > all.length / 2) {
      const live = new Fifo<Block>();
      for (const x of all) if (!x.evicted) live.push(x);
      all = live;
      tombstones = 0;
    }
    return b.evicted ? null : b;
  }

  function* records(c: ConnFrames): Generator<{ block: Block; at: number; len: number }> {
    for (const block of c.blocks) {
      const v = new DataView(block.bytes.buffer, block.bytes.byteOffset, block.used);
      for (let at = 0; at < block.used; ) {
        const len = v.getUint32(at + 8, true);
        yield { block, at, len };
        at += PCAP_RECORD_HEADER_BYTES + len;
      }
    }
  }

  return {
    bytes: () => total,
    forget(connId) {
      const c = conns.get(connId);
      if (c === undefined) return;
      // Its blocks stay in `all` as tombstones, as blocks evicted by a connection's own bound do.
      for (const b of c.blocks) {
        b.evicted = true;
        total -= b.bytes.length;
        tombstones++;
      }
      conns.delete(connId);
      dropTombstones();
    },
    add(connId, frame) {
      const size = PCAP_RECORD_HEADER_BYTES + frame.data.length;
      let c = conns.get(connId);
      if (c === undefined) {
        c = { blocks: new Fifo(), bytes: 0 };
        conns.set(connId, c);
      }
      const b = blockFor(connId, c, frame.linkType, size);
      if (b === null) {
        if (c.blocks.length === 0) conns.delete(connId);
        return;
      }
      const at = b.used;
      putUint32LE(b.bytes, at, frame.tsSec >>> 0);
      // Truncates, never rounds: rounding up could yield 1 000 000 µs, which readers reject.
      putUint32LE(b.bytes, at + 4, Math.floor(frame.tsNsec / 1000));
      putUint32LE(b.bytes, at + 8, frame.data.length);
      putUint32LE(b.bytes, at + 12, Math.max(frame.originalLength, frame.data.length));
      b.bytes.set(frame.data, b.used + PCAP_RECORD_HEADER_BYTES);
      b.used += size;
    },
    framesOf(connId) {
      const c = conns.get(connId);
      if (c === undefined) return undefined;
      const out: StoredFrame[] = [];
      for (const { block, at, len } of records(c)) {
        const v = new DataView(block.bytes.buffer, block.bytes.byteOffset + at, PCAP_RECORD_HEADER_BYTES);
        out.push({
          tsSec: v.getUint32(0, true),
          tsNsec: v.getUint32(4, true) * 1000,
          data: block.bytes.slice(at + PCAP_RECORD_HEADER_BYTES, at + PCAP_RECORD_HEADER_BYTES + len),
          originalLength: v.getUint32(12, true),
          linkType: block.linkType,
        });
      }
      return out.length > 0 ? out : undefined;
    },
    pcapOf(connId) {
      const c = conns.get(connId);
      const first = c?.blocks.peek();
      if (c === undefined || first === undefined || first.used === 0) return undefined;
      // A pcap file has one link type; all frames of one capture share it.
      const parts: Uint8Array[] = [pcapGlobalHeader(first.linkType)];
      for (const b of c.blocks) if (b.linkType === first.linkType && b.used > 0) parts.push(b.bytes.subarray(0, b.used));
      return Buffer.concat(parts);
    },
  };
}

/** A record header field, written without a DataView per frame. */
function putUint32LE(bytes: Uint8Array, at: number, v: number): void {
  bytes[at] = v & 0xff;
  bytes[at + 1] = (v >>> 8) & 0xff;
  bytes[at + 2] = (v >>> 16) & 0xff;
  bytes[at + 3] = (v >>> 24) & 0xff;
}
