// The connection's wire at a glance: how many segments, and how many of the kind that mean trouble.
import type { StreamHealth, SummarizedSegments } from './stream-health.ts';

interface Item {
  key: keyof Omit<StreamHealth, 'notes'>;
  label: string;
  /** The label for exactly one. */
  one: string;
  title: string;
  /** Drawn as a problem when above zero. */
  bad: boolean;
}

const ITEMS: Item[] = [
  { key: 'segments', label: 'segments', one: 'segment', title: 'Captured TCP segments of this connection', bad: false },
  { key: 'retransmissions', label: 'retransmissions', one: 'retransmission', title: 'Segments whose sequence number and payload were already sent that way', bad: true },
  { key: 'zeroWindows', label: 'zero windows', one: 'zero window', title: 'Segments advertising a window of 0: the receiver has no room, the sender must wait', bad: true },
  { key: 'windowUpdates', label: 'window updates', one: 'window update', title: 'Pure ACKs that only open (or shrink) the window', bad: false },
  { key: 'resets', label: 'resets', one: 'reset', title: 'Segments with RST: the connection was torn down at once', bad: true },
];

/**
 * `dropped`: frames the kernel dropped before tcpdump took them, over all connections (tcpdump counts
 * them, not per connection). Then the segment counts are short by up to that many, and the page says so.
 */
export function HealthStrip({ health, summarized = null, dropped = 0 }: { health: StreamHealth; summarized?: SummarizedSegments | null; dropped?: number }) {
  return (
    <div className="health-strip" data-testid="health-strip" aria-label="Stream health">
      {ITEMS.map((it) => {
        const n = health[it.key];
        const tone = n > 0 ? (it.bad ? 'bad' : 'info') : 'none';
        return (
          <span key={it.key} className={`health-item tone-${tone}`} title={it.title} data-testid={`health-${it.key}`} data-count={n}>
            <b>{n.toLocaleString()}</b> {n === 1 ? it.one : it.label}
          </span>
        );
      })}
      {summarized && (
        <span
          className="health-item tone-info"
          data-testid="health-summarized"
          data-count={summarized.segments}
          title={`Plain data and ACK segments counted but not shown: the capture came faster than ${summarized.perSec.toLocaleString()} per second (all connections). SYN, FIN, RST, zero windows, window updates and retransmissions are always shown; the pcap download has every frame.`}
        >
          + <b>{summarized.segments.toLocaleString()}</b> summarised (past {summarized.perSec.toLocaleString()}/s)
        </span>
      )}
      {dropped > 0 && (
        <span
          className="health-item tone-bad"
          data-testid="health-dropped"
          data-count={dropped}
          title="Frames the kernel dropped before tcpdump could take them (all connections): tcpscope fell behind the capture for a while. Segment counts are short by up to this many; reads and bytes are counted by the echo server and stay exact."
        >
          <b>{dropped.toLocaleString()}</b> {dropped === 1 ? 'frame' : 'frames'} lost to capture (all connections)
        </span>
      )}
    </div>
  );
}
