// Parses the kernel's TCP socket tables (/proc/net/tcp and /proc/net/tcp6): one row per socket with its
// addresses, state and inode. Pure; the I/O is in listener-lookup.ts and fd-resolver.ts.

export interface TcpRow {
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  /** The kernel's state number: 0x0A is LISTEN, 0x01 ESTABLISHED. */
  state: number;
  inode: number;
}

export const TCP_LISTEN = 0x0a;

/** "0100007F:13BF" → 127.0.0.1, 5055. Addresses are in host byte order per 32-bit word (little-endian here). */
export function parseHexEndpoint(text: string): { address: string; port: number } | null {
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  const hex = text.slice(0, colon);
  const port = parseInt(text.slice(colon + 1), 16);
  if (!Number.isInteger(port)) return null;
  if (hex.length === 8) {
    const b = wordBytes(hex, 0);
    return { address: b.join('.'), port };
  }
  if (hex.length === 32) {
    const bytes: number[] = [];
    for (let w = 0; w < 4; w++) bytes.push(...wordBytes(hex, w * 8));
    // An IPv4 client on a dual-stack socket: ::ffff:a.b.c.d, spelled as the IPv4 address.
    if (bytes.slice(0, 10).every((x) => x === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return { address: bytes.slice(12).join('.'), port };
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
    return { address: compressV6(groups), port };
  }
  return null;
}

function wordBytes(hex: string, at: number): number[] {
  const v = parseInt(hex.slice(at, at + 8), 16);
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}

function compressV6(groups: string[]): string {
  // The longest run of zero groups becomes "::" (RFC 5952), as Node and ss print addresses.
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** Every row of one table's text; the header and malformed lines are skipped. */
export function parseProcNetTcp(text: string): TcpRow[] {
  const rows: TcpRow[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || !f[0]!.endsWith(':')) continue;
    const local = parseHexEndpoint(f[1]!);
    const remote = parseHexEndpoint(f[2]!);
    const state = parseInt(f[3]!, 16);
    const inode = Number(f[9]);
    if (!local || !remote || !Number.isInteger(state) || !Number.isSafeInteger(inode)) continue;
    rows.push({ localAddress: local.address, localPort: local.port, remoteAddress: remote.address, remotePort: remote.port, state, inode });
  }
  return rows;
}

/** "socket:[12345]" → 12345; null for anything else (files, pipes, anon inodes). */
export function socketInode(link: string): number | null {
  if (!link.startsWith('socket:[') || !link.endsWith(']')) return null;
  const n = Number(link.slice(8, -1));
  return Number.isSafeInteger(n) ? n : null;
}
