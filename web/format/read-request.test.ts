import { describe, expect, it } from 'vitest';
import type { TcpEvent } from '../../shared/events.ts';
import { DEFAULT_CONFIG } from '../../shared/config.ts';
import { lengthCell, requestedBy, requestedText } from './read-request.ts';

const read = (seq: number, length: number, requested?: number): TcpEvent =>
  ({ kind: 'read', seq, t: 0, connId: 1, offset: 0, length, hex: '', truncated: false, ...(requested === undefined ? {} : { requested }) }) as TcpEvent;

describe('requested against returned', () => {
  const history = [
    { seq: 1, config: { ...DEFAULT_CONFIG, bufferSize: 1024 } },
    { seq: 10, config: { ...DEFAULT_CONFIG, bufferSize: 7 } },
  ];

  it("takes a watched call's own count, and the echo server's read buffer in force at its read", () => {
    expect(requestedBy(read(5, 21, 4096), history)).toBe(4096);
    expect(requestedBy(read(5, 21), history)).toBe(1024);
    expect(requestedBy(read(11, 7), history)).toBe(7);
    expect(requestedBy(read(0, 7), history)).toBeNull();
    expect(requestedBy({ ...read(5, 12), kind: 'reply' } as TcpEvent, history)).toBeNull();
    expect(requestedBy({ ...read(5, 8, 12), kind: 'reply' } as TcpEvent, history)).toBe(12);
  });

  it('says it in one wording', () => {
    expect(requestedText('read', 21, 1024)).toBe('read 21 of 1024 requested');
    expect(requestedText('reply', 12, 12)).toBe('reply 12 of 12 offered');
    expect(requestedText('reply', 8, 12)).toBe('reply 8 of 12 offered (short write)');
    expect(requestedText('read', 21, null)).toBe('read 21');
    expect(lengthCell(21, 1024)).toBe('21/1024');
    expect(lengthCell(12, null)).toBe('12');
  });
});
