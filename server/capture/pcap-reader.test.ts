import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPcapReader, LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL2, PCAP_MAX_RECORD_BYTES, type PcapRecord } from './pcap-reader.ts';

interface Rec {
  sec: number;
  frac: number;
  data: Uint8Array;
  orig?: number;
}

/** An encoder written here, apart from pcap-writer.ts, so the reader is checked against a second author. */
function encode(recs: Rec[], o: { le: boolean; nano: boolean; linkType?: number; snap?: number }): Uint8Array {
  const size = 24 + recs.reduce((n, r) => n + 16 + r.data.length, 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, o.nano ? 0xa1b23c4d : 0xa1b2c3d4, o.le);
  v.setUint16(4, 2, o.le);
  v.setUint16(6, 4, o.le);
  v.setUint32(16, o.snap ?? 262144, o.le);
  v.setUint32(20, o.linkType ?? LINKTYPE_ETHERNET, o.le);
  let p = 24;
  for (const r of recs) {
    v.setUint32(p, r.sec, o.le);
    v.setUint32(p + 4, r.frac, o.le);
    v.setUint32(p + 8, r.data.length, o.le);
    v.setUint32(p + 12, r.orig ?? r.data.length, o.le);
    out.set(r.data, p + 16);
    p += 16 + r.data.length;
  }
  return out;
}

/** Every record of the stream pushed in pieces cut at `cuts`; each record's bytes copied before the next push, as they are valid until then. */
function readAll(bytes: Uint8Array, cuts: number[] = []): { recs: PcapRecord[]; reader: ReturnType<typeof createPcapReader> } {
  const reader = createPcapReader();
  const recs: PcapRecord[] = [];
  const take = (rs: PcapRecord[]): void => {
    for (const r of rs) recs.push({ ...r, data: r.data.slice() });
  };
  let prev = 0;
  for (const c of [...new Set(cuts)].sort((a, b) => a - b)) {
    take(reader.push(bytes.subarray(prev, c)));
    prev = c;
  }
  take(reader.push(bytes.subarray(prev)));
  return { recs, reader };
}

const plain = (r: PcapRecord) => ({ tsSec: r.tsSec, tsNsec: r.tsNsec, t: r.t, data: [...r.data], originalLength: r.originalLength });

describe('pcap reader', () => {
  it('reads a little-endian microsecond stream: header, link type, timestamps in ms, frames', () => {
    const bytes = encode(
      [
        { sec: 1694535983, frac: 924347, data: Uint8Array.of(1, 2, 3) },
        { sec: 1694535983, frac: 924476, data: Uint8Array.of(4), orig: 60 },
      ],
      { le: true, nano: false },
    );
    const { recs, reader } = readAll(bytes);
    expect(reader.header()).toMatchObject({ littleEndian: true, nanoseconds: false, linkType: LINKTYPE_ETHERNET, snapLength: 262144 });
    expect(recs.map(plain)).toEqual([
      { tsSec: 1694535983, tsNsec: 924347000, t: 1694535983924.347, data: [1, 2, 3], originalLength: 3 },
      { tsSec: 1694535983, tsNsec: 924476000, t: 1694535983924.476, data: [4], originalLength: 60 },
    ]);
    expect(reader.error()).toBeNull();
    expect(reader.bufferedBytes()).toBe(0);
  });

  it('reads big-endian and nanosecond streams, and SLL2 link types', () => {
    const bytes = encode([{ sec: 10, frac: 123456789, data: Uint8Array.of(9, 9) }], { le: false, nano: true, linkType: LINKTYPE_LINUX_SLL2 });
    const { recs, reader } = readAll(bytes);
    expect(reader.header()).toMatchObject({ littleEndian: false, nanoseconds: true, linkType: LINKTYPE_LINUX_SLL2 });
    expect(recs[0]).toMatchObject({ tsSec: 10, tsNsec: 123456789 });
    expect(recs[0]!.t).toBeCloseTo(10123.456789, 6);
  });

  it('gives the same records for any split of the stream, in all four byte-order and precision variants', () => {
    const rec = fc.record({
      sec: fc.integer({ min: 0, max: 0xffffffff }),
      fracMicro: fc.integer({ min: 0, max: 999_999 }),
      data: fc.uint8Array({ maxLength: 200 }),
    });
    fc.assert(
      fc.property(fc.array(rec, { minLength: 1, maxLength: 12 }), fc.boolean(), fc.boolean(), fc.array(fc.nat(), { maxLength: 40 }), (rs, le, nano, rawCuts) => {
        const recs = rs.map((r) => ({ sec: r.sec, frac: nano ? r.fracMicro * 1000 + 7 : r.fracMicro, data: r.data }));
        const bytes = encode(recs, { le, nano });
        const cuts = rawCuts.map((c) => c % (bytes.length + 1));
        const whole = readAll(bytes);
        const split = readAll(bytes, cuts);
        expect(split.recs.map(plain)).toEqual(whole.recs.map(plain));
        expect(split.reader.error()).toBeNull();
        expect(split.reader.bufferedBytes()).toBe(0);
      }),
    );
  });

  it('gives the same records when every chunk arrives in one reused buffer, overwritten after each push', () => {
    const rec = fc.record({ sec: fc.nat(), fracMicro: fc.integer({ min: 0, max: 999_999 }), data: fc.uint8Array({ maxLength: 300 }) });
    fc.assert(
      fc.property(fc.array(rec, { minLength: 1, maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 40 }), (rs, sizes) => {
        const bytes = encode(
          rs.map((r) => ({ sec: r.sec, frac: r.fracMicro, data: r.data })),
          { le: true, nano: false },
        );
        const reader = createPcapReader();
        // A Buffer, as the pipe's is: its slice() is a view, so a reader that meant to copy with it would not.
        const scratch = Buffer.alloc(400);
        const got: ReturnType<typeof plain>[] = [];
        for (let at = 0, i = 0; at < bytes.length; i++) {
          const n = Math.min(sizes[i % sizes.length]!, bytes.length - at);
          scratch.set(bytes.subarray(at, at + n));
          // A record is read before the next push, as the capture reads it; then the buffer is scribbled over.
          for (const r of reader.push(scratch.subarray(0, n))) got.push(plain(r));
          scratch.fill(0xee);
          at += n;
        }
        expect(got).toEqual(readAll(bytes).recs.map(plain));
        expect(reader.bufferedBytes()).toBe(0);
      }),
    );
  });

  it('holds no more than one unfinished record while bytes trickle in one at a time', () => {
    const bytes = encode([{ sec: 1, frac: 2, data: new Uint8Array(1000).fill(7) }], { le: true, nano: false });
    const reader = createPcapReader();
    let max = 0;
    const recs: PcapRecord[] = [];
    for (let i = 0; i < bytes.length; i++) {
      recs.push(...reader.push(bytes.subarray(i, i + 1)));
      max = Math.max(max, reader.bufferedBytes());
    }
    expect(recs).toHaveLength(1);
    expect(max).toBeLessThanOrEqual(16 + 1000);
  });

  it('rejects a stream that is not pcap, and names pcapng', () => {
    const notPcap = readAll(new TextEncoder().encode('this is certainly not a pcap stream'));
    expect(notPcap.recs).toEqual([]);
    expect(notPcap.reader.error()).toMatch(/not a pcap stream: magic number 0x74686973/);
    const ng = readAll(Uint8Array.of(0x0a, 0x0d, 0x0d, 0x0a, ...new Array(28).fill(0)));
    expect(ng.reader.error()).toMatch(/pcapng/);
  });

  it('stops at a record larger than any capture makes, keeping the records before it', () => {
    const good = encode([{ sec: 1, frac: 0, data: Uint8Array.of(1) }], { le: true, nano: false });
    const bad = new Uint8Array(16);
    new DataView(bad.buffer).setUint32(8, PCAP_MAX_RECORD_BYTES + 1, true);
    const reader = createPcapReader();
    const recs = reader.push(Uint8Array.of(...good, ...bad));
    expect(recs).toHaveLength(1);
    expect(reader.error()).toMatch(/exceeds the 262144-byte limit/);
    expect(reader.push(good)).toEqual([]);
    expect(reader.bufferedBytes()).toBe(0);
  });

  it('rejects a microsecond fraction of a second or more', () => {
    const bytes = encode([{ sec: 1, frac: 1_000_000, data: Uint8Array.of(1) }], { le: true, nano: false });
    const { recs, reader } = readAll(bytes);
    expect(recs).toEqual([]);
    expect(reader.error()).toMatch(/fraction 1000000 is out of range/);
  });
});
