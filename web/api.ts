// Typed calls to the HTTP API. Every failure becomes an ApiRequestError whose message is the
// server's own (it names the field and what it allows), ready to be shown to the user as is.
import type { BurstAccepted, BurstRequestInput } from '../shared/api.ts';
import type { Config, ConfigPatch } from '../shared/config.ts';
import type { Connection } from '../shared/connections.ts';
import type { EventKind, TcpEvent } from '../shared/events.ts';
import type { LimitStatus } from '../shared/security.ts';
import { authHeaders } from './page-token.ts';
import type { Watch } from '../shared/watch.ts';
import type { SessionReset } from '../shared/session-reset.ts';

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

let unauthorized: () => void = () => {};

/** Told of every 401, whichever call got it: the store then asks whether the page lacks the access token. */
export function onUnauthorized(handler: () => void): void {
  unauthorized = handler;
}

/** For /api calls made outside this module: a 401 they got counts as well. */
export function reportUnauthorized(): void {
  unauthorized();
}

let liveCommandsBlocked: string | null = null;

/**
 * While the page replays a session file, nothing it does may change the live server or make it open
 * connections: every such request is refused here with `reason`, whatever control sent it. null lifts it.
 */
export function blockLiveCommands(reason: string | null): void {
  liveCommandsBlocked = reason;
}

/**
 * fetch() for our own API: carries the page's token, and refuses to change anything while a session
 * replays. Reads (GET, HEAD) always go.
 */
export function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const method = (init.method ?? 'GET').toUpperCase();
  if (liveCommandsBlocked !== null && method !== 'GET' && method !== 'HEAD') {
    return Promise.reject(new ApiRequestError(0, liveCommandsBlocked));
  }
  return fetch(path, { ...init, headers: { ...authHeaders(), ...(init.headers as Record<string, string> | undefined) } });
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await apiFetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    if (err instanceof ApiRequestError) throw err;
    throw new ApiRequestError(0, 'The server cannot be reached.');
  }
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page, say): fall through with the status line.
  }
  if (res.status === 401) reportUnauthorized();
  if (!res.ok) {
    const message =
      typeof parsed === 'object' && parsed !== null && typeof (parsed as { message?: unknown }).message === 'string'
        ? (parsed as { message: string }).message
        : `${res.status} ${res.statusText}`;
    throw new ApiRequestError(res.status, message);
  }
  return parsed as T;
}

/**
 * A download from the API (session export, pcap), fetched with the token and saved from memory: a plain
 * link could not carry the header. Saved under the server's file name (Content-Disposition), else `fallbackName`.
 */
export async function downloadFromApi(path: string, fallbackName: string): Promise<void> {
  let res: Response;
  try {
    res = await apiFetch(path);
  } catch {
    throw new ApiRequestError(0, 'The server cannot be reached.');
  }
  if (res.status === 401) reportUnauthorized();
  if (!res.ok) {
    const text = await res.text();
    let message = `${res.status} ${res.statusText}`;
    try {
      const parsed = JSON.parse(text) as { message?: unknown };
      if (typeof parsed.message === 'string') message = parsed.message;
    } catch {
      // not JSON: the status line says it
    }
    throw new ApiRequestError(res.status, message);
  }
  const blob = await res.blob();
  saveBlob(blob, fileNameOf(res.headers.get('content-disposition')) ?? fallbackName);
}

/** `attachment; filename="x.json"` → `x.json`; only plain names, never a path. */
export function fileNameOf(disposition: string | null): string | null {
  const m = disposition === null ? null : /filename="?([^";]+)"?/i.exec(disposition);
  const name = m?.[1]?.trim() ?? '';
  return name === '' || /[/\\]/.test(name) || name.startsWith('.') ? null : name;
}

/** Saves a Blob through the browser's download, as if it came from the server. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked well after the click: the download reads the Blob asynchronously.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

export const api = {
  getConfig: () => request<Config>('GET', '/api/config'),
  patchConfig: (patch: ConfigPatch) => request<Config>('PATCH', '/api/config', patch),
  sendBurst: (burst: BurstRequestInput) => request<BurstAccepted>('POST', '/api/bursts', burst),
  getConnections: () => request<Connection[]>('GET', '/api/connections'),
  getWatches: () => request<Watch[]>('GET', '/api/watches'),
  addWatch: (port: number) => request<Watch>('POST', '/api/watches', { port }),
  removeWatch: (port: number) => request<void>('DELETE', `/api/watches/${port}`),
  getLimits: () => request<LimitStatus>('GET', '/api/limits'),
  resetSession: () => request<SessionReset>('POST', '/api/session/reset'),
  getEvents: (query: { kind?: EventKind; connId?: number; limit?: number }) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    return request<TcpEvent[]>('GET', `/api/events?${params}`);
  },
};
