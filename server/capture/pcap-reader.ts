// A streaming reader of the classic pcap format (what `tcpdump -w -` writes): feed it the bytes as the
// pipe delivers them, in chunks of any size, and it returns each record once all of its bytes are in.
// Pure: no I/O, so any split of a stream can be checked against the whole.

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

const MAGIC_MICRO = 0xa1b2c3d4;
const MAGIC_NANO = 0xa1b23c4d;
export const PCAP_GLOBAL_HEADER_BYTES = 24;
export const PCAP_RECORD_HEADER_BYTES = 16;
/** tcpdump's default snapshot length; no record of ours is larger, so anything larger means a corrupt stream. */
export const PCAP_MAX_RECORD_BYTES = 262144;

export interface PcapHeader {
  littleEndian: boolean;
  nanoseconds: boolean;
  versionMajor: number;
  versionMinor: number;
  snapLength: number;
  linkType: number;
}

export interface PcapRecord {
  /** Seconds since the epoch and the fraction in nanoseconds, as exact integers (for export). */
  tsSec: number;
  tsNsec: number;
  /** Milliseconds since the epoch, with the sub-millisecond part: the `t` of the events. */
  t: number;
  /** The frame as captured (may be shorter than originalLength if the snapshot length cut it). */
  data: Uint8Array;
  originalLength: number;
}

export interface PcapReader {
  /** Returns the records completed by this chunk, in order. After an error, returns nothing more. */
  push(chunk: Uint8Array): PcapRecord[];
  header(): PcapHeader | null;
  /** Why the stream can no longer be read (pcap has no way to find the next record after a bad one). */
  error(): string | null;
  /** Bytes held waiting for the rest of a record: never more than one record and its header. */
  bufferedBytes(): number;
}

/**
 * A record's `data` is a view of the chunk it came in or, for one cut between chunks, of the reader's own
 * buffer: valid until the next push. What the reader holds between pushes is its own copy, so a caller may
 * read into one buffer it reuses, as long as it is done with the records (or copied them) before it reads again.
 */
export function createPcapReader(): PcapReader {
  let hdr: PcapHeader | null = null;
  let err: string | null = null;
  // An item (the global header or a record) cut by the end of a chunk: its first `held` bytes, in a buffer
  // of the reader's own that is used again for the next such item.
  // The next chunk completes it with only the bytes it lacks and is then read in place: joining the held
  // tail to the whole next chunk would copy every byte of the pipe once more.
  let pend: Uint8Array = Buffer.allocUnsafe(0);
  let held = 0;
  /** A record returned by the current push is a view of `pend`. */
  let pendHandedOut = false;
  let maxRecord = PCAP_MAX_RECORD_BYTES;

  function fail(message: string): void {
    err = message;
    held = 0;
  }

  /** Bytes the held item needs in all, as far as its held bytes tell; -1 if they show the stream is corrupt. */
  function wanted(): number {
    if (hdr === null) return PCAP_GLOBAL_HEADER_BYTES;
    if (held < PCAP_RECORD_HEADER_BYTES) return PCAP_RECORD_HEADER_BYTES;
    const inclLen = new DataView(pend.buffer, pend.byteOffset, PCAP_RECORD_HEADER_BYTES).getUint32(8, hdr.littleEndian);
    return tooLarge(inclLen) ? -1 : PCAP_RECORD_HEADER_BYTES + inclLen;
  }

  /** A record longer than any capture makes: the stream is corrupt, and it stops here. */
  function tooLarge(inclLen: number): boolean {
    if (inclLen <= maxRecord) return false;
    fail(`record of ${inclLen} bytes exceeds the ${maxRecord}-byte limit: the stream is corrupt`);
    return true;
  }

  /** Appends to the held item, in the reader's own buffer (reused: grown, never shrunk, at most one record). */
  function hold(bytes: Uint8Array, want: number): void {
    // A record of this push may be a view of it: then the tail goes to a buffer of its own.
    if (pend.length < held + bytes.length || (held === 0 && pendHandedOut)) {
      const next = Buffer.allocUnsafe(Math.max(want, held + bytes.length));
      next.set(pend.subarray(0, held));
      pend = next;
    }
    pend.set(bytes, held);
    held += bytes.length;
  }

  /** Reads whole items of `buf` from `pos` into `out`; returns where the first incomplete one starts. */
  function parse(buf: Uint8Array, pos: number, out: PcapRecord[]): number {
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    if (hdr === null) {
      if (buf.length - pos < PCAP_GLOBAL_HEADER_BYTES) return pos;
      const parsed = parseGlobalHeader(new DataView(buf.buffer, buf.byteOffset + pos, PCAP_GLOBAL_HEADER_BYTES));
      if (typeof parsed === 'string') {
        fail(parsed);
        return buf.length;
      }
      hdr = parsed;
      // A snapshot length of 0 means "unlimited" in old writers; ours never exceed the default.
      maxRecord = Math.min(PCAP_MAX_RECORD_BYTES, hdr.snapLength > 0 ? Math.max(hdr.snapLength, 65535) : PCAP_MAX_RECORD_BYTES);
      pos += PCAP_GLOBAL_HEADER_BYTES;
    }
    const le = hdr.littleEndian;
    const nano = hdr.nanoseconds;
    while (buf.length - pos >= PCAP_RECORD_HEADER_BYTES) {
      const tsSec = view.getUint32(pos, le);
      const tsFrac = view.getUint32(pos + 4, le);
      const inclLen = view.getUint32(pos + 8, le);
      const origLen = view.getUint32(pos + 12, le);
      if (tooLarge(inclLen)) return buf.length;
      if (tsFrac >= (nano ? 1e9 : 1e6)) {
        fail(`record timestamp fraction ${tsFrac} is out of range: the stream is corrupt`);
        return buf.length;
      }
      if (buf.length - pos - PCAP_RECORD_HEADER_BYTES < inclLen) break;
      const start = pos + PCAP_RECORD_HEADER_BYTES;
      const tsNsec = nano ? tsFrac : tsFrac * 1000;
      out.push({
        tsSec,
        tsNsec,
        t: tsSec * 1000 + tsNsec / 1e6,
        // A view (a plain Uint8Array: cheaper to make than a Buffer's subarray, one per frame). A caller
        // that keeps the frame copies what it keeps, so that it does not pin the whole chunk.
        data: new Uint8Array(buf.buffer, buf.byteOffset + start, inclLen),
        originalLength: origLen,
      });
      pos = start + inclLen;
    }
    return pos;
  }

  return {
    header: () => hdr,
    error: () => err,
    bufferedBytes: () => held,
    push(chunk) {
      const out: PcapRecord[] = [];
      let pos = 0;
      pendHandedOut = false;
      while (held > 0 && err === null && pos < chunk.length) {
        const want = wanted();
        if (want < 0) break;
        const take = Math.min(want - held, chunk.length - pos);
        hold(chunk.subarray(pos, pos + take), want);
        pos += take;
        if (held < want) continue;
        // Its header just came in: the record's own length is known now, and more of it may follow.
        const whole = wanted();
        if (whole < 0) break;
        if (whole > held) continue;
        const item = pend.subarray(0, held);
        held = 0;
        pendHandedOut = true;
        parse(item, 0, out);
      }
      if (err !== null || pos >= chunk.length) return out;
      const end = parse(chunk, pos, out);
      // The tail is copied: the caller's buffer may be reused, and a view would pin all of the chunk.
      if (err === null && end < chunk.length) hold(chunk.subarray(end), PCAP_RECORD_HEADER_BYTES);
      return out;
    },
  };
}

function parseGlobalHeader(view: DataView): PcapHeader | string {
  const magicBE = view.getUint32(0, false);
  const magicLE = view.getUint32(0, true);
  let littleEndian: boolean;
  let nanoseconds: boolean;
  if (magicLE === MAGIC_MICRO || magicLE === MAGIC_NANO) {
    littleEndian = true;
    nanoseconds = magicLE === MAGIC_NANO;
  } else if (magicBE === MAGIC_MICRO || magicBE === MAGIC_NANO) {
    littleEndian = false;
    nanoseconds = magicBE === MAGIC_NANO;
  } else {
    const shown = magicBE.toString(16).padStart(8, '0');
    return shown === '0a0d0d0a'
      ? 'the stream is pcapng, not pcap: run the capture program with -w - without --pcapng'
      : `not a pcap stream: magic number 0x${shown}`;
  }
  const versionMajor = view.getUint16(4, littleEndian);
  const versionMinor = view.getUint16(6, littleEndian);
  if (versionMajor !== 2) return `unsupported pcap version ${versionMajor}.${versionMinor}`;
  return {
    littleEndian,
    nanoseconds,
    versionMajor,
    versionMinor,
    snapLength: view.getUint32(16, littleEndian),
    // The upper bits may carry an FCS length; the link type is the low 16.
    linkType: view.getUint32(20, littleEndian) & 0xffff,
  };
}
