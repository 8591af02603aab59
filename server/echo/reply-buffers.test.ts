import { describe, expect, it } from 'vitest';
import { POOLED_REPLY_MIN_BYTES, ReplyBuffers } from './reply-buffers.ts';

const filled = (n: number, byte: number) => Buffer.alloc(n, byte);

describe('ReplyBuffers', () => {
  it('copies the bytes, and hands a buffer out again only after its write is done', () => {
    const pool = new ReplyBuffers(1 << 20);
    const a = pool.copy(filled(65536, 1), 65536);
    const b = pool.copy(filled(65536, 2), 65536);
    // Both in flight: two buffers, each with its own bytes.
    expect(a.out.buffer).not.toBe(b.out.buffer);
    expect(a.out.every((x) => x === 1)).toBe(true);
    expect(b.out.every((x) => x === 2)).toBe(true);
    a.done!();
    const c = pool.copy(filled(1000 + POOLED_REPLY_MIN_BYTES, 3), 1000 + POOLED_REPLY_MIN_BYTES);
    // a's buffer again, holding c's bytes only in c's length; b's bytes untouched.
    expect(c.out.buffer).toBe(a.out.buffer);
    expect(c.out.length).toBe(1000 + POOLED_REPLY_MIN_BYTES);
    expect(c.out.every((x) => x === 3)).toBe(true);
    expect(b.out.every((x) => x === 2)).toBe(true);
  });

  it('keeps at most its bound in idle buffers, and small replies out of it', () => {
    const pool = new ReplyBuffers(100_000);
    const copies = [1, 2, 3].map((n) => pool.copy(filled(65536, n), 65536));
    for (const c of copies) c.done!();
    expect(pool.idleBytes).toBe(65536);
    const small = pool.copy(filled(10, 9), 10);
    expect([...small.out]).toEqual(new Array(10).fill(9));
    small.done?.();
    expect(pool.idleBytes).toBe(65536);
    // A larger read than any kept buffer gets a new one.
    const big = pool.copy(filled(70000, 4), 70000);
    expect(big.out.length).toBe(70000);
    expect(pool.idleBytes).toBe(0);
  });

  it('copies a small reply into one scratch buffer, each copy over the last', () => {
    const pool = new ReplyBuffers(0);
    const a = pool.scratchCopy(filled(1024, 5), 1000);
    expect(a.length).toBe(1000);
    expect(a.every((x) => x === 5)).toBe(true);
    const b = pool.scratchCopy(filled(7, 6), 7);
    expect(b.buffer).toBe(a.buffer);
    expect([...b]).toEqual(new Array(7).fill(6));
    expect(pool.idleBytes).toBe(0);
  });
});
