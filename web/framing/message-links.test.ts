import { describe, expect, it } from 'vitest';
import type { ChunkEvent, TcpEvent } from '../../shared/events.ts';
import { carriedBy, layoutMessages, type MessageEvent, messagesOf, readsCarrying } from './message-links.ts';

const read = (seq: number, offset: number, length: number, connId = 1): ChunkEvent => ({ kind: 'read', seq, t: 0, connId, offset, length, hex: '', truncated: true });
const message = (seq: number, offset: number, length: number, firstReadSeq: number, lastReadSeq: number, connId = 1): MessageEvent => ({
  kind: 'message',
  seq,
  t: 0,
  connId,
  offset,
  length,
  hex: '',
  truncated: true,
  firstReadSeq,
  lastReadSeq,
});

describe('message links', () => {
  // "Hello1\n" cut as reads of 2, 4 and 1 byte; "Hi\n" in the last read of 3.
  const reads = [read(10, 0, 2), read(12, 2, 4), read(14, 6, 1), read(16, 7, 3)];
  const hello = message(15, 0, 6, 10, 14);
  const hi = message(17, 7, 2, 16, 16);

  it('names the reads that carried each message', () => {
    expect(readsCarrying(hello, [...reads, read(11, 0, 5, 2)]).map((r) => r.seq)).toEqual([10, 12, 14]);
    expect(carriedBy(hello, reads)).toBe('reads 1–3');
    expect(carriedBy(hi, reads)).toBe('read 4');
    expect(carriedBy(message(3, 0, 1, 1, 2), reads)).toBe('reads no longer held');
  });

  it("picks one connection's messages in order", () => {
    const events: TcpEvent[] = [reads[0]!, hello, message(16, 0, 1, 11, 11, 2), hi];
    expect(messagesOf(events, 1)).toEqual([hello, hi]);
    expect(messagesOf(events, null)).toEqual([]);
  });

  it('lays out only the visible messages, each at least a sliver wide', () => {
    const m = [hello, hi, message(18, 10, 0, 16, 16)];
    expect(layoutMessages(m, 0, 10, 0, 1000).map((s) => [s.n, s.x, s.w])).toEqual([
      [1, 0, 60],
      [2, 70, 20],
      [3, 100, 2],
    ]);
    expect(layoutMessages(m, 0, 10, 0, 80).map((s) => s.n)).toEqual([1, 2]);
    expect(layoutMessages([hello, hi], 0, 10, 65, 1000).map((s) => s.n)).toEqual([2]);
  });
});
