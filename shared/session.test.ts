// Session files: any session survives export then import unchanged, and every bad file is refused with
// a reason that names what is wrong.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Config } from './config.ts';
import type { Connection } from './connections.ts';
import type { TcpEvent } from './events.ts';
import { sessionCsv } from './session-csv.ts';
import { parseSession, SESSION_FILE_MAX_BYTES, SESSION_FORMAT, SESSION_VERSION, type SessionDocument, sessionFileName } from './session.ts';

const hexArb = fc.uint8Array({ maxLength: 12 }).map((b) => Array.from(b, (x) => x.toString(16).toUpperCase().padStart(2, '0')).join(' '));
const configArb: fc.Arbitrary<Config> = fc.record({
  bufferSize: fc.integer({ min: 1, max: 65536 }),
  replyMode: fc.constantFrom('ack' as const, 'echo' as const, 'none' as const),
  paused: fc.boolean(),
  framing: fc.oneof(
    fc.constant({ mode: 'raw' as const }),
    fc.record({ mode: fc.constant('delimiter' as const), delimiter: fc.constantFrom('\n', '\r\n', '||', 'é'), maxMessageBytes: fc.integer({ min: 1, max: 1 << 20 }) }),
    fc.record({ mode: fc.constant('fixed' as const), size: fc.integer({ min: 1, max: 1 << 20 }) }),
    fc.record({ mode: fc.constant('length-prefix' as const), prefixBytes: fc.constantFrom(1 as const, 2 as const, 4 as const), maxMessageBytes: fc.integer({ min: 1, max: 1 << 20 }) }),
  ),
});

/** An event of some kind, without its seq (assigned in order below). */
const eventArb: fc.Arbitrary<Omit<TcpEvent, 'seq'>> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('read' as const, 'write' as const, 'reply' as const),
    t: fc.double({ min: 1.6e12, max: 1.8e12, noNaN: true }),
    connId: fc.integer({ min: 1, max: 50 }),
    offset: fc.nat(),
    length: fc.nat({ max: 65536 }),
    hex: hexArb,
    truncated: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('message' as const),
    t: fc.double({ min: 1.6e12, max: 1.8e12, noNaN: true }),
    connId: fc.integer({ min: 1, max: 50 }),
    offset: fc.nat(),
    length: fc.nat({ max: 65536 }),
    hex: hexArb,
    truncated: fc.boolean(),
    firstReadSeq: fc.nat(),
    lastReadSeq: fc.nat(),
  }),
  fc.record({ kind: fc.constant('config' as const), t: fc.double({ min: 1.6e12, max: 1.8e12, noNaN: true }), connId: fc.constant(0), config: configArb }),
  fc.record({
    kind: fc.constant('close' as const),
    t: fc.double({ min: 1.6e12, max: 1.8e12, noNaN: true }),
    connId: fc.integer({ min: 1, max: 50 }),
    reason: fc.constantFrom('end' as const, 'reset' as const, 'protocol' as const),
  }),
  fc.record({
    kind: fc.constant('error' as const),
    t: fc.double({ min: 1.6e12, max: 1.8e12, noNaN: true }),
    connId: fc.integer({ min: 1, max: 50 }),
    rule: fc.constantFrom('length-prefix-too-large' as const, 'delimiter-not-found' as const),
    message: fc.string(),
  }),
  fc.record({
    kind: fc.constant('open' as const),
    t: fc.double({ min: 1.6e12, max: 1.8e12, noNaN: true }),
    connId: fc.integer({ min: 1, max: 50 }),
    remoteAddress: fc.constantFrom('127.0.0.1', '::1'),
    remotePort: fc.integer({ min: 1, max: 65535 }),
    localAddress: fc.constant('127.0.0.1'),
    localPort: fc.integer({ min: 1, max: 65535 }),
    origin: fc.constantFrom('builtin' as const, 'external' as const),
  }),
);

const connectionArb: fc.Arbitrary<Connection> = fc.record({
  id: fc.integer({ min: 1, max: 50 }),
  origin: fc.constantFrom('builtin' as const, 'external' as const),
  remoteAddress: fc.constant('127.0.0.1'),
  remotePort: fc.integer({ min: 1, max: 65535 }),
  localAddress: fc.constant('127.0.0.1'),
  localPort: fc.integer({ min: 1, max: 65535 }),
  state: fc.constantFrom('open' as const, 'closed' as const),
  openedAt: fc.double({ min: 1.6e12, max: 1.8e12, noNaN: true }),
  closedAt: fc.option(fc.double({ min: 1.6e12, max: 1.8e12, noNaN: true }), { nil: null }),
  closeReason: fc.constantFrom(null, 'end' as const, 'reset' as const),
  closeCode: fc.constantFrom(null, 'ECONNRESET'),
  reads: fc.nat(),
  bytesRead: fc.nat(),
  replies: fc.nat(),
  bytesReplied: fc.nat(),
  writes: fc.nat(),
  bytesWritten: fc.nat(),
});

const sessionArb: fc.Arbitrary<SessionDocument> = fc
  .record({
    exportedAt: fc.double({ min: 1.6e12, max: 1.8e12, noNaN: true }),
    initialConfig: configArb,
    config: configArb,
    connections: fc.array(connectionArb, { maxLength: 5 }),
    events: fc.array(eventArb, { maxLength: 40 }),
    firstSeq: fc.nat({ max: 1e6 }),
    steps: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 40, maxLength: 40 }),
  })
  .map(({ events, firstSeq, steps, ...rest }) => {
    let seq = firstSeq;
    return {
      format: SESSION_FORMAT,
      version: SESSION_VERSION,
      ...rest,
      events: events.map((e, i) => ({ ...e, seq: (seq += steps[i]!) }) as TcpEvent),
    };
  });

const valid = (): SessionDocument => ({
  format: SESSION_FORMAT,
  version: SESSION_VERSION,
  exportedAt: 1.7e12,
  initialConfig: { bufferSize: 1024, replyMode: 'ack', paused: false, framing: { mode: 'raw' } },
  config: { bufferSize: 7, replyMode: 'ack', paused: false, framing: { mode: 'raw' } },
  connections: [],
  events: [
    { kind: 'read', seq: 1, t: 1.7e12, connId: 1, offset: 0, length: 7, hex: '48 65 6C 6C 6F 31 0A', truncated: false },
    { kind: 'read', seq: 2, t: 1.7e12, connId: 1, offset: 7, length: 7, hex: '48 65 6C 6C 6F 32 0A', truncated: false },
  ],
});

describe('session files', () => {
  it('give back the same session after export then import, for any session', () => {
    fc.assert(
      fc.property(sessionArb, (doc) => {
        const back = parseSession(JSON.stringify(doc));
        expect(back).toEqual({ ok: true, session: doc });
      }),
      { numRuns: 200 },
    );
  });

  it.each<[string, (d: Record<string, unknown>) => unknown, string]>([
    ['not JSON', () => '{"format": "tcpscope-session", ', 'the file is not JSON'],
    ['another format', (d) => ({ ...d, format: 'har' }), 'this is not a tcpscope session file (format must be "tcpscope-session")'],
    ['an array', () => [1, 2], 'this is not a tcpscope session file'],
    ['no version', (d) => ({ ...d, version: undefined }), 'version: must be an integer (the format version of the file)'],
    ['a newer version', (d) => ({ ...d, version: 2 }), 'the file has format version 2, from a newer tcpscope; this page reads versions up to 1'],
    ['an older version', (d) => ({ ...d, version: 0 }), 'the file has format version 0, which this tcpscope cannot read (it reads version 1)'],
    [
      'a bad event',
      (d) => ({ ...d, events: [(d.events as object[])[0], { ...(d.events as object[])[1], length: -1 }] }),
      'events.1.length: Too small: expected number to be >=0',
    ],
    ['an unknown event kind', (d) => ({ ...d, events: [{ kind: 'packet', seq: 1, t: 1, connId: 0 }] }), 'events.0.kind'],
    ['seqs out of order', (d) => ({ ...d, events: [...(d.events as object[])].reverse() }), "events.1.seq: must be above the previous event's seq 2"],
    ['an unknown field', (d) => ({ ...d, colour: 'red' }), 'file: unknown field colour'],
    ['a bad config', (d) => ({ ...d, config: { ...(d.config as object), bufferSize: 0 } }), 'config.bufferSize: must be an integer from 1 to 65536'],
  ])('refuses %s with the reason', (_name, mutate, reason) => {
    const m = mutate(valid() as unknown as Record<string, unknown>);
    const result = parseSession(typeof m === 'string' ? m : JSON.stringify(m));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });

  it('refuses an oversized file before parsing it', () => {
    const result = parseSession(' '.repeat(SESSION_FILE_MAX_BYTES + 1));
    expect(result).toEqual({ ok: false, reason: 'the file is 64.0 MiB; a session file may be at most 64.0 MiB' });
  });

  it('writes the reads, writes, replies and messages as CSV', () => {
    const doc = valid();
    doc.events.push(
      { kind: 'message', seq: 3, t: 1.7e12, connId: 1, offset: 0, length: 6, hex: '48 65 6C 6C 6F 31', truncated: false, firstReadSeq: 1, lastReadSeq: 2 },
      { kind: 'error', seq: 4, t: 1.7e12, connId: 1, rule: 'delimiter-not-found', message: 'no "\n", in 64 bytes' },
    );
    const lines = sessionCsv(doc.events).split('\r\n');
    expect(lines[0]).toBe('seq,time,t_ms,conn,kind,offset,length,first_read_seq,last_read_seq,truncated,hex');
    expect(lines[1]).toBe('1,2023-11-14T22:13:20.000Z,1700000000000,1,read,0,7,,,false,48 65 6C 6C 6F 31 0A');
    expect(lines[3]).toBe('3,2023-11-14T22:13:20.000Z,1700000000000,1,message,0,6,1,2,false,48 65 6C 6C 6F 31');
    expect(lines).toHaveLength(5); // header, three rows, and the empty string after the last CRLF
  });

  it('names files by the time of export', () => {
    expect(sessionFileName(Date.UTC(2024, 4, 1, 12, 30, 5), 'json')).toBe('tcpscope-session-2024-05-01T12-30-05.json');
  });
});
