// Cross-site request and WebSocket hijacking defence. Browsers send `Origin` on every cross-origin
// POST/PATCH and on every WebSocket upgrade, and a page cannot forge it; tools (curl, scripts) send none.
// So a request that may change something is let through only without an Origin, or with our own.

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Requests that change something, and WebSocket upgrades (a GET that opens a channel with side effects). */
export function needsOriginCheck(method: string, headers: { upgrade?: string | undefined }): boolean {
  return !SAFE_METHODS.has(method) || headers.upgrade?.toLowerCase() === 'websocket';
}

/**
 * Whether `origin` is this server as the browser sees it: plain `http:` (tcpscope serves no TLS, so an
 * `https:` origin is another site) and exactly the same host and port as the request's `Host` (which
 * host-check has already vetted). Comparing with Host rather than our listening port keeps a same-origin
 * dev proxy working while still refusing every other site.
 */
export function isOwnOrigin(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true;
  if (hostHeader === undefined) return false;
  let o: URL;
  let h: URL;
  try {
    o = new URL(origin); // "null" (sandboxed frames, file:) does not parse: refused
    h = new URL(`${o.protocol}//${hostHeader}`);
  } catch {
    return false;
  }
  if (o.protocol !== 'http:') return false;
  return o.host === h.host && o.username === '' && o.password === '';
}
