// DNS rebinding defence. A page on evil.example can re-point its own name at 127.0.0.1 and then reach
// us as "same origin" — but its requests still say `Host: evil.example`. So we answer only to the names
// we listen as: loopback names and addresses, the --host value, and names given with --allow-host.
import { isIP } from 'node:net';
import os from 'node:os';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/** 127.0.0.0/8, ::1 (also as ::ffff:127.x.y.z) and localhost: reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** 0.0.0.0 and :: listen on every interface. */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

/** Every address of this machine's interfaces, without IPv6 zone ids. */
export function interfaceAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flatMap((list) => list ?? [])
    .map((i) => i.address.toLowerCase().replace(/%.*$/, ''));
}

/**
 * The host names (lower case, IPv6 without brackets) that requests may carry. A wildcard --host is
 * reached through any interface, so every interface address and the machine's name count.
 */
export function allowedHostnames(
  listenHost: string,
  extra: readonly string[],
  wildcardNames: () => string[] = () => [...interfaceAddresses(), os.hostname()],
): Set<string> {
  const names = new Set([...LOOPBACK_NAMES, listenHost.toLowerCase()]);
  if (isWildcardHost(listenHost)) for (const n of wildcardNames()) names.add(n.toLowerCase());
  for (const n of extra) names.add(n.toLowerCase());
  return names;
}

const HOST_HEADER = /^(?:\[([0-9a-f:.]+)\]|([^:[\]\s]+))(?::(\d{1,5}))?$/i;

/** The name part of a Host header ("[::1]:3000" → "::1"), or null if it is not a well-formed host[:port] (a port above 65535 included). */
export function hostnameOf(header: string | undefined): string | null {
  if (header === undefined) return null;
  const m = HOST_HEADER.exec(header);
  if (!m) return null;
  if (m[3] !== undefined && Number(m[3]) > 65535) return null;
  return (m[1] ?? m[2]!).toLowerCase();
}

export function isAllowedHost(header: string | undefined, allowed: ReadonlySet<string>): boolean {
  const name = hostnameOf(header);
  return name !== null && (allowed.has(name) || isLoopbackHost(name));
}
