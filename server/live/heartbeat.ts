// Finds live subscribers that vanished without a close frame (a laptop lid, a pulled cable, a killed
// process behind a NAT): TCP alone may not notice for hours, and meanwhile the socket holds a slot and
// its unsent batches. Every interval each socket is pinged; one that has not answered the previous
// ping is cut off. Browsers answer pings by themselves, even in a busy tab.
import type { WebSocket } from 'ws';

export class Heartbeat {
  /** Whether each socket has answered since the last ping. */
  private readonly answered = new Map<WebSocket, boolean>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly intervalMs: number) {}

  get watching(): number {
    return this.answered.size;
  }

  watch(ws: WebSocket): void {
    this.answered.set(ws, true);
    ws.on('pong', () => {
      if (this.answered.has(ws)) this.answered.set(ws, true);
    });
    ws.once('close', () => {
      this.answered.delete(ws);
      if (this.answered.size === 0) this.stop();
    });
    if (this.timer === null) {
      this.timer = setInterval(() => this.beat(), this.intervalMs);
      this.timer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private beat(): void {
    for (const [ws, answered] of this.answered) {
      if (!answered) {
        ws.terminate(); // 'close' follows and forgets it
        continue;
      }
      this.answered.set(ws, false);
      ws.ping();
    }
  }
}
