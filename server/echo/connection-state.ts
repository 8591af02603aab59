// One connection's live state and exact counters. Counters are plain numbers bumped on the read path;
// the wire shape (shared/connections.ts) is built only when someone asks.
import type { Socket } from 'node:net';
import type { Connection } from '../../shared/connections.ts';
import type { CloseReason, ConnectionOrigin } from '../../shared/events.ts';
import type { WatchRef } from '../../shared/watch-ref.ts';

export class ConnectionState {
  reads = 0;
  bytesRead = 0;
  replies = 0;
  bytesReplied = 0;
  writes = 0;
  bytesWritten = 0;
  state: 'open' | 'closed' = 'open';
  closedAt: number | null = null;
  closeReason: CloseReason | null = null;
  closeCode: string | null = null;
  /** Chunks of this connection counted past the event detail budget, with no event of their own (Recorder). */
  eventsSummarised = 0;
  /** `eventsSummarised` as the live stream last sent it (LiveHub's, to find connections that moved unseen). */
  eventsSummarisedSent = 0;
  /** Set when the server decides why it closes (shutdown, limit, protocol), before the socket reports. */
  pendingReason: { reason: CloseReason; code: string | null } | null = null;
  /** Set on connections of a watched server (server/watch/): which server, and what tracing could tell. */
  watch: { ref: WatchRef; wouldBlock: number; midStream: boolean; eventsLost: number } | null = null;
  /** Per-connection extension state (the framing decoder, say), owned by whoever set it. */
  readonly ext = new Map<string, unknown>();

  constructor(
    readonly id: number,
    readonly socket: Socket,
    readonly origin: ConnectionOrigin,
    readonly remoteAddress: string,
    readonly remotePort: number,
    readonly localAddress: string,
    readonly localPort: number,
    readonly openedAt: number,
  ) {}

  toJSON(): Connection {
    return {
      id: this.id,
      origin: this.origin,
      remoteAddress: this.remoteAddress,
      remotePort: this.remotePort,
      localAddress: this.localAddress,
      localPort: this.localPort,
      state: this.state,
      openedAt: this.openedAt,
      closedAt: this.closedAt,
      closeReason: this.closeReason,
      closeCode: this.closeCode,
      reads: this.reads,
      bytesRead: this.bytesRead,
      replies: this.replies,
      bytesReplied: this.bytesReplied,
      writes: this.writes,
      bytesWritten: this.bytesWritten,
      ...(this.eventsSummarised > 0 ? { eventsSummarised: this.eventsSummarised } : {}),
      ...(this.watch
        ? { watch: this.watch.ref, wouldBlock: this.watch.wouldBlock, midStream: this.watch.midStream, eventsLost: this.watch.eventsLost }
        : {}),
    };
  }
}
