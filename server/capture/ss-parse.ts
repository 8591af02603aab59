// Parses what `ss -tin` prints: a line per socket (state, Recv-Q, Send-Q, local, peer), then, indented,
// a line of `key:value` TCP details. Pure, so every quirk of the format is pinned by a test.
import { canonicalAddress } from './ip-address.ts';

export interface SsSocket {
  state: string;
  recvQ: number;
  sendQ: number;
  localAddress: string;
  localPort: number;
  peerAddress: string;
  peerPort: number;
  rttMs: number | null;
  rttVarMs: number | null;
  cwnd: number | null;
  sndWnd: number | null;
  rcvWnd: number | null;
  rcvSpace: number | null;
  mss: number | null;
}

/** "127.0.0.1:5055", "[::1]:5055", "[::ffff:127.0.0.1]:5055", "127.0.0.1%lo:5055" → address and port. */
export function parseEndpoint(text: string): { address: string; port: number } | null {
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return null;
  const portText = text.slice(colon + 1);
  if (!/^\d{1,5}$/.test(portText)) return null;
  let addr = text.slice(0, colon);
  const zone = addr.indexOf('%');
  if (zone >= 0 && !addr.startsWith('[')) addr = addr.slice(0, zone);
  if (addr.startsWith('[')) {
    const close = addr.indexOf(']');
    if (close < 0) return null;
    addr = addr.slice(1, close);
  }
  return { address: canonicalAddress(addr), port: Number(portText) };
}

const STATE_RE = /^[A-Z][A-Z0-9-]*$/;

function nonNegInt(v: string | undefined): number | null {
  if (v === undefined || !/^\d+$/.test(v)) return null;
  return Number(v);
}

function details(line: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const tok of line.trim().split(/\s+/)) {
    const colon = tok.indexOf(':');
    if (colon <= 0) continue;
    out.set(tok.slice(0, colon), tok.slice(colon + 1));
  }
  return out;
}

export interface ParseSsOptions {
  /**
   * Read TIME-WAIT sockets too (default true). Closed connections linger in TIME-WAIT for a minute: after
   * a thousand short connections, a port's dump is thousands of them, and parsing each at every tick held
   * the event loop for tens of ms. A sampler that follows no closing connection skips them unparsed.
   */
  timeWait?: boolean;
}

export function parseSs(text: string, options: ParseSsOptions = {}): SsSocket[] {
  const timeWait = options.timeWait ?? true;
  const out: SsSocket[] = [];
  let last: SsSocket | null = null;
  for (const line of text.split('\n')) {
    if (!timeWait && line.startsWith('TIME-WAIT')) {
      last = null; // and its detail line goes with it
      continue;
    }
    if (line.trim() === '') continue;
    if (/^\s/.test(line)) {
      if (last === null) continue;
      const d = details(line);
      const rtt = d.get('rtt')?.split('/');
      const rttMs = rtt?.[0] !== undefined && Number.isFinite(Number(rtt[0])) ? Number(rtt[0]) : null;
      const rttVarMs = rtt?.[1] !== undefined && Number.isFinite(Number(rtt[1])) ? Number(rtt[1]) : null;
      last.rttMs = rttMs;
      last.rttVarMs = rttVarMs;
      last.cwnd = nonNegInt(d.get('cwnd'));
      last.sndWnd = nonNegInt(d.get('snd_wnd'));
      last.rcvWnd = nonNegInt(d.get('rcv_wnd'));
      last.rcvSpace = nonNegInt(d.get('rcv_space'));
      last.mss = nonNegInt(d.get('mss'));
      last = null;
      continue;
    }
    last = null;
    const cols = line.trim().split(/\s+/);
    // With one state selected ss leaves out the State column; the header line starts with "State" or "Recv-Q".
    let i = 0;
    let state = 'UNKNOWN';
    if (STATE_RE.test(cols[0]!) && !/^\d+$/.test(cols[0]!)) {
      state = cols[0]!;
      i = 1;
    }
    const recvQ = nonNegInt(cols[i]);
    const sendQ = nonNegInt(cols[i + 1]);
    const local = cols[i + 2] === undefined ? null : parseEndpoint(cols[i + 2]!);
    const peer = cols[i + 3] === undefined ? null : parseEndpoint(cols[i + 3]!);
    if (recvQ === null || sendQ === null || local === null || peer === null) continue; // header or foreign line
    last = {
      state,
      recvQ,
      sendQ,
      localAddress: local.address,
      localPort: local.port,
      peerAddress: peer.address,
      peerPort: peer.port,
      rttMs: null,
      rttVarMs: null,
      cwnd: null,
      sndWnd: null,
      rcvWnd: null,
      rcvSpace: null,
      mss: null,
    };
    out.push(last);
  }
  return out;
}
