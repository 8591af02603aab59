// Typed calls to the HTTP API. Every failure becomes an ApiRequestError whose message is the
// server's own (it names the field and what it allows), ready to be shown to the user as is.
import type { BurstAccepted, BurstRequestInput } from '../shared/api.ts';
import type { Config, ConfigPatch } from '../shared/config.ts';
import type { Connection } from '../shared/connections.ts';
import type { EventKind, TcpEvent } from '../shared/events.ts';
import type { LimitStatus } from '../shared/security.ts';
import type { Watch } from '../shared/watch.ts';

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

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
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

export const api = {
  getConfig: () => request<Config>('GET', '/api/config'),
  patchConfig: (patch: ConfigPatch) => request<Config>('PATCH', '/api/config', patch),
  sendBurst: (burst: BurstRequestInput) => request<BurstAccepted>('POST', '/api/bursts', burst),
  getConnections: () => request<Connection[]>('GET', '/api/connections'),
  getWatches: () => request<Watch[]>('GET', '/api/watches'),
  addWatch: (port: number) => request<Watch>('POST', '/api/watches', { port }),
  removeWatch: (port: number) => request<void>('DELETE', `/api/watches/${port}`),
  getLimits: () => request<LimitStatus>('GET', '/api/limits'),
  getEvents: (query: { kind?: EventKind; connId?: number; limit?: number }) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    return request<TcpEvent[]>('GET', `/api/events?${params}`);
  },
};
