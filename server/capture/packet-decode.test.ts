import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildFrame, opt } from './frame-builder.ts';
import { decodeFrame, FLAG_ACK, FLAG_PSH, FLAG_SYN, type DecodedSegment } from './packet-decode.ts';
import { LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_NULL, LINKTYPE_RAW } from './pcap-reader.ts';

function ok(linkType: number, frame: Uint8Array): DecodedSegment {
  const r = decodeFrame(linkType, frame);
  if (!r.ok) throw new Error(`expected a segment, got: ${r.error}`);
  return r.segment;
}

function err(linkType: number, frame: Uint8Array): string {
  const r = decodeFrame(linkType, frame);
  if (r.ok) throw new Error('expected an error');
  return r.error;
}

describe('packet decode', () => {
  it("decodes the tutorial's Hello1 segment: payload length = total length 47 − 20 − 20 = 7", () => {
    const f = buildFrame({ srcPort: 60002, dstPort: 5055, seq: 968201656, ack: 3904890890, flags: FLAG_PSH | FLAG_ACK, window: 64, payload: 'Hello1\n' });
    const s = ok(LINKTYPE_ETHERNET, f);
    expect(s).toMatchObject({
      ipVersion: 4,
      srcAddress: '127.0.0.1',
      dstAddress: '127.0.0.1',
      srcPort: 60002,
      dstPort: 5055,
      seqNumber: 968201656,
      ackNumber: 3904890890,
      flags: ['ACK', 'PSH'],
      windowRaw: 64,
      ipTotalLength: 47,
      ipHeaderLength: 20,
      tcpHeaderLength: 20,
      payloadLength: 7,
      options: {},
    });
    expect(new TextDecoder().decode(s.payload)).toBe('Hello1\n');
  });

  it('reads the options of a SYN: MSS, SACK permitted, timestamps, window scale', () => {
    const f = buildFrame({
      flags: FLAG_SYN,
      options: [...opt.mss(65495), ...opt.sackOk(), ...opt.ts(3858618511, 0), ...opt.ws(10)],
    });
    const s = ok(LINKTYPE_ETHERNET, f);
    expect(s.flags).toEqual(['SYN']);
    expect(s.options).toEqual({ mss: 65495, sackPermitted: true, timestamps: { value: 3858618511, echo: 0 }, windowScale: 10 });
    expect(s.tcpHeaderLength).toBe(40);
    expect(s.payloadLength).toBe(0);
    expect(s.ipTotalLength).toBe(60);
  });

  it('reads SACK blocks', () => {
    const block = [5, 18, 0, 0, 0, 10, 0, 0, 0, 20, 0, 0, 0, 30, 0, 0, 0, 40];
    const s = ok(LINKTYPE_ETHERNET, buildFrame({ options: [1, 1, ...block] }));
    expect(s.options.sack).toEqual([
      [10, 20],
      [30, 40],
    ]);
  });

  it('names every flag, in Wireshark order', () => {
    const s = ok(LINKTYPE_ETHERNET, buildFrame({ flags: 0xff }));
    expect(s.flags).toEqual(['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN']);
  });

  it('decodes IPv6: total length is payload length + the fixed 40', () => {
    const s = ok(LINKTYPE_ETHERNET, buildFrame({ src: '::1', dst: '::1', payload: 'Hello1\n' }));
    expect(s).toMatchObject({ ipVersion: 6, srcAddress: '::1', dstAddress: '::1', ipTotalLength: 67, ipHeaderLength: 40, tcpHeaderLength: 20, payloadLength: 7 });
  });

  it('skips IPv6 extension headers and counts them in the IP header length', () => {
    const f = buildFrame({ src: '::1', dst: '::1', payload: 'ab', linkType: LINKTYPE_RAW });
    // Insert an 8-byte hop-by-hop header (next header: TCP) after the fixed header.
    const withExt = new Uint8Array(f.length + 8);
    withExt.set(f.subarray(0, 40));
    withExt[6] = 0; // next header: hop-by-hop
    withExt[40] = 6;
    withExt[41] = 0;
    withExt.set(f.subarray(40), 48);
    const plen = f.length - 40 + 8;
    withExt[4] = plen >> 8;
    withExt[5] = plen & 0xff;
    const s = ok(LINKTYPE_RAW, withExt);
    expect(s).toMatchObject({ ipHeaderLength: 48, payloadLength: 2 });
  });

  it('decodes Linux cooked (v1 and v2), raw IP and BSD loopback link types', () => {
    for (const lt of [LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_RAW]) {
      expect(ok(lt, buildFrame({ payload: 'x', linkType: lt })).payloadLength).toBe(1);
    }
    const raw = buildFrame({ payload: 'xy', linkType: LINKTYPE_RAW });
    expect(ok(LINKTYPE_NULL, Uint8Array.of(2, 0, 0, 0, ...raw)).payloadLength).toBe(2);
  });

  it('ignores Ethernet padding after the IP packet', () => {
    const f = buildFrame({ payload: 'a' });
    const padded = Uint8Array.of(...f, 0, 0, 0, 0, 0, 0);
    const s = ok(LINKTYPE_ETHERNET, padded);
    expect(s.payloadLength).toBe(1);
    expect([...s.payload]).toEqual([0x61]);
  });

  it('gives the captured part of a payload the snapshot length cut', () => {
    const f = buildFrame({ payload: 'Hello1\n' });
    const s = ok(LINKTYPE_ETHERNET, f.subarray(0, f.length - 3));
    expect(s.payloadLength).toBe(7);
    expect(s.payload.length).toBe(4);
  });

  it('says why it cannot decode: truncation, other protocols, fragments, bad lengths and options', () => {
    const f = buildFrame({ options: opt.mss(1460) });
    expect(err(LINKTYPE_ETHERNET, f.subarray(0, 10))).toMatch(/Ethernet header/);
    expect(err(LINKTYPE_ETHERNET, f.subarray(0, 20))).toMatch(/IPv4 header/);
    expect(err(LINKTYPE_ETHERNET, f.subarray(0, 40))).toMatch(/TCP header/);
    expect(err(LINKTYPE_ETHERNET, f.subarray(0, 56))).toMatch(/TCP options/);

    const arp = Uint8Array.from(f);
    arp[12] = 0x08;
    arp[13] = 0x06;
    expect(err(LINKTYPE_ETHERNET, arp)).toBe('not IP (ethertype 0x0806)');

    const udp = Uint8Array.from(f);
    udp[14 + 9] = 17;
    expect(err(LINKTYPE_ETHERNET, udp)).toBe('not TCP (IP protocol 17)');

    const frag = Uint8Array.from(f);
    frag[14 + 6] = 0x20; // more fragments
    expect(err(LINKTYPE_ETHERNET, frag)).toMatch(/fragment/);

    const shortTotal = Uint8Array.from(f);
    shortTotal[14 + 3] = 30; // total length 30 < 20 + 24
    expect(err(LINKTYPE_ETHERNET, shortTotal)).toMatch(/overruns the IP packet/);

    const badOffset = Uint8Array.from(f);
    badOffset[14 + 20 + 12] = 0x40; // data offset 4 words
    expect(err(LINKTYPE_ETHERNET, badOffset)).toMatch(/below 20/);

    const badOpt = buildFrame({ options: [2, 9, 0, 0] });
    expect(err(LINKTYPE_ETHERNET, badOpt)).toMatch(/option 2 has a bad length 9/);

    expect(err(999, f)).toBe('unsupported link type 999');
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.constantFrom(LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_RAW, LINKTYPE_NULL), fc.uint8Array({ maxLength: 120 }), (lt, bytes) => {
        const r = decodeFrame(lt, bytes);
        if (r.ok) expect(r.segment.payloadLength).toBe(r.segment.ipTotalLength - r.segment.ipHeaderLength - r.segment.tcpHeaderLength);
      }),
      { numRuns: 2000 },
    );
    // Every prefix of a valid frame either decodes or says why not.
    const f = buildFrame({ src: '::1', dst: '::1', options: [...opt.mss(1), ...opt.ts(1, 2)], payload: 'hello' });
    for (let n = 0; n <= f.length; n++) expect(typeof decodeFrame(LINKTYPE_ETHERNET, f.subarray(0, n)).ok).toBe('boolean');
  });
});
