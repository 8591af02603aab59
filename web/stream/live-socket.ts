// The one WebSocket to /ws: opens it, hands every message on, and opens it again when it drops,
// with backoff. It knows nothing about what the messages mean; the event store does. A browser cannot
// put headers on a WebSocket, so the page's token rides as a second subprotocol (web/page-token.ts).
import type { ClientMessage } from '../../shared/live.ts';
import { liveProtocols } from '../page-token.ts';
import { backoffDelay } from './backoff.ts';

export interface LiveSocketHandlers {
  onOpen(): void;
  onMessage(data: string): void;
  /** `opened` is false when the socket never opened: refused (a missing token, say) or unreachable. */
  onClose(opened: boolean): void;
}

/** A quiet socket is pinged this often; one that stays silent for the grace period is presumed dead. */
const PING_EVERY_MS = 5_000;
const SILENCE_GRACE_MS = 15_000;

export class LiveSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private stopped = true;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private lastHeard = 0;
  private pingId = 0;

  constructor(
    private readonly url: string,
    private readonly handlers: LiveSocketHandlers,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    this.ws?.close();
    this.ws = null;
  }

  send(msg: ClientMessage): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  private connect(): void {
    // Read at each attempt: a token pasted into the token screen is offered from the next one on.
    const ws = new WebSocket(this.url, liveProtocols());
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.lastHeard = Date.now();
      this.handlers.onOpen();
      this.pingTimer = setInterval(() => this.checkAlive(ws), PING_EVERY_MS);
    };
    ws.onmessage = (ev: MessageEvent) => {
      this.lastHeard = Date.now();
      this.attempt = 0; // only a socket that delivers counts as a good connection
      if (typeof ev.data === 'string') this.handlers.onMessage(ev.data);
    };
    ws.onclose = () => this.drop(ws, opened);
    // Errors are always followed by close, which is where reconnecting happens.
    ws.onerror = () => {};
  }

  /** Browsers notice a closed server quickly, but not a vanished one (sleep, cable): ask, and give up on silence. */
  private checkAlive(ws: WebSocket): void {
    if (Date.now() - this.lastHeard > SILENCE_GRACE_MS) {
      ws.close();
      // The closing handshake may never finish with a vanished peer: move on without waiting for it.
      this.drop(ws);
      return;
    }
    this.send({ type: 'ping', id: this.pingId++ });
  }

  private drop(ws: WebSocket, opened = true): void {
    if (this.ws !== ws) return;
    clearInterval(this.pingTimer);
    this.ws = null;
    this.handlers.onClose(opened);
    if (!this.stopped) this.retryTimer = setTimeout(() => this.connect(), backoffDelay(this.attempt++));
  }
}
