// One text form per address, so that a connection's address as Node's socket reports it, as the
// captured header holds it and as ss prints it all compare equal. IPv6 follows RFC 5952 (lower case,
// longest run of zero groups as "::"); an IPv4-mapped IPv6 address ("::ffff:127.0.0.1", which a
// dual-stack socket reports for an IPv4 peer) becomes the plain IPv4 address the wire carries.

export function formatIPv4(b: Uint8Array, off: number): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

export function formatIPv6(b: Uint8Array, off: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((b[off + 2 * i]! << 8) | b[off + 2 * i + 1]!);
  return formatGroups(groups);
}

function formatGroups(groups: number[]): string {
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return `${groups[6]! >> 8}.${groups[6]! & 0xff}.${groups[7]! >> 8}.${groups[7]! & 0xff}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Parses IPv6 text (with "::", an embedded dotted quad, an optional %zone) into 8 groups, or null. */
function parseIPv6(text: string): number[] | null {
  const zone = text.indexOf('%');
  let s = zone >= 0 ? text.slice(0, zone) : text;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.', lastColon)) {
    // Rewrite the trailing dotted quad as the two groups it stands for.
    const v4 = parseIPv4(s.slice(lastColon + 1));
    if (v4 === null) return null;
    s = `${s.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0]!);
  if (head === null) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const rest = parse(halves[1]!);
  if (rest === null) return null;
  const fill = 8 - head.length - rest.length;
  if (fill < 1) return null;
  return [...head, ...new Array<number>(fill).fill(0), ...rest];
}

function parseIPv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

/** The one text form of an address; text that is no IP address is returned unchanged. */
export function canonicalAddress(text: string): string {
  const s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (!s.includes(':')) {
    const v4 = parseIPv4(s);
    return v4 === null ? s : v4.join('.');
  }
  const groups = parseIPv6(s);
  return groups === null ? s : formatGroups(groups);
}

/** The address's bytes: 4 for IPv4, 16 for IPv6; null if the text is no IP address. */
export function addressBytes(text: string): Uint8Array | null {
  if (!text.includes(':')) {
    const v4 = parseIPv4(text);
    return v4 === null ? null : Uint8Array.from(v4);
  }
  const groups = parseIPv6(text);
  if (groups === null) return null;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}
