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

export interface PcapReaderOptions {
  /**
   * The caller reads into one buffer it reuses: what the reader holds between pushes (a record cut by
   * the end of a chunk) is copied, and each returned record's `data` is valid only until the next push.
   */
  reusedInput?: boolean;
}

export function createPcapReader(options: PcapReaderOptions = {}): PcapReader {
  const reused = options.reusedInput === true;
  let hdr: PcapHeader | null = null;
  let err: string | null = null;
  // Chunks are kept as they come and joined only once a whole item is in, so a large record arriving
  // in many small chunks is copied once, not once per chunk.
  let chunks: Uint8Array[] = [];
  let held = 0;
  let maxRecord = PCAP_MAX_RECORD_BYTES;

  function take(): Uint8Array {
    const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, held);
    chunks = [];
    held = 0;
    return all;
  }

  function fail(message: string): void {
    err = message;
    chunks = [];
    held = 0;
  }

  return {
    header: () => hdr,
    error: () => err,
    bufferedBytes: () => held,
    push(chunk) {
      if (err !== null || chunk.length === 0) return [];
      chunks.push(chunk);
      held += chunk.length;
      if ((hdr === null && held < PCAP_GLOBAL_HEADER_BYTES) || (hdr !== null && held < PCAP_RECORD_HEADER_BYTES)) {
        // Held until the next push: a reused buffer's bytes must be copied (a few bytes, rarely).
        if (reused) chunks[chunks.length - 1] = copyOf(chunk);
        return [];
      }

      const buf = take();
      const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      let pos = 0;
      if (hdr === null) {
        const parsed = parseGlobalHeader(view);
        if (typeof parsed === 'string') {
          fail(parsed);
          return [];
        }
        hdr = parsed;
        // A snapshot length of 0 means "unlimited" in old writers; ours never exceed the default.
        maxRecord = Math.min(PCAP_MAX_RECORD_BYTES, hdr.snapLength > 0 ? Math.max(hdr.snapLength, 65535) : PCAP_MAX_RECORD_BYTES);
        pos = PCAP_GLOBAL_HEADER_BYTES;
      }
      const le = hdr.littleEndian;
      const nano = hdr.nanoseconds;
      const out: PcapRecord[] = [];
      while (buf.length - pos >= PCAP_RECORD_HEADER_BYTES) {
        const tsSec = view.getUint32(pos, le);
        const tsFrac = view.getUint32(pos + 4, le);
        const inclLen = view.getUint32(pos + 8, le);
        const origLen = view.getUint32(pos + 12, le);
        if (inclLen > maxRecord) {
          fail(`record of ${inclLen} bytes exceeds the ${maxRecord}-byte limit: the stream is corrupt`);
          return out;
        }
        if (tsFrac >= (nano ? 1e9 : 1e6)) {
          fail(`record timestamp fraction ${tsFrac} is out of range: the stream is corrupt`);
          return out;
        }
        if (buf.length - pos - PCAP_RECORD_HEADER_BYTES < inclLen) break;
        const start = pos + PCAP_RECORD_HEADER_BYTES;
        const tsNsec = nano ? tsFrac : tsFrac * 1000;
        out.push({
          tsSec,
          tsNsec,
          t: tsSec * 1000 + tsNsec / 1e6,
          // A view of the chunk, valid for good (chunks are never written again): a caller that keeps
          // the frame copies what it keeps, so that it does not pin the whole chunk.
          data: buf.subarray(start, start + inclLen),
          originalLength: origLen,
        });
        pos = start + inclLen;
      }
      if (pos < buf.length) {
        // A tail left in the caller's reused buffer must be copied; one in a joined buffer is ours already.
        chunks = [reused && buf === chunk ? copyOf(buf.subarray(pos)) : buf.subarray(pos)];
        held = buf.length - pos;
      }
      return out;
    },
  };
}

/** A copy: a Buffer's own slice() is a view, so Uint8Array's is called whatever the input is. */
function copyOf(bytes: Uint8Array): Uint8Array {
  return Uint8Array.prototype.slice.call(bytes);
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
