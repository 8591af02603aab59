// One connection's share of the store, sorted by what the wire view draws: captured segments, socket
// samples, and the chunks (writes, reads, replies) that the segments carried.
import type { ChunkEvent, EventOf, TcpEvent } from '../../shared/events.ts';
import type { SampleEvent, SegmentEvent } from '../../shared/wire.ts';

export interface ConnWire {
  connId: number;
  /** In capture order. */
  segments: SegmentEvent[];
  samples: SampleEvent[];
  writes: ChunkEvent[];
  reads: ChunkEvent[];
  replies: ChunkEvent[];
  open: EventOf<'open'> | null;
  close: EventOf<'close'> | null;
}

export function emptyWire(connId: number): ConnWire {
  return { connId, segments: [], samples: [], writes: [], reads: [], replies: [], open: null, close: null };
}

/** One pass over the store's events (oldest first); cheap enough to run once per new view. */
export function connWire(events: readonly TcpEvent[], connId: number): ConnWire {
  const w = emptyWire(connId);
  for (const e of events) {
    if (e.connId !== connId) continue;
    switch (e.kind) {
      case 'segment':
        w.segments.push(e);
        break;
      case 'sample':
        w.samples.push(e);
        break;
      case 'write':
        w.writes.push(e);
        break;
      case 'read':
        w.reads.push(e);
        break;
      case 'reply':
        w.replies.push(e);
        break;
      case 'open':
        w.open = e;
        break;
      case 'close':
        w.close = e;
        break;
      default:
        break;
    }
  }
  // Segments are recorded when tcpdump hands them over, which can interleave across its output chunks
  // with held segments released at accept: their capture time is the order on the wire.
  w.segments.sort((a, b) => a.t - b.t);
  return w;
}
