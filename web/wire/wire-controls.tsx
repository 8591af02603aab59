// The wire view's two commands: stop the echo server reading (to watch the receive queue fill and the
// window close), and take the connection's captured frames away as a pcap file.
import type { Connection } from '../../shared/connections.ts';
import { api } from '../api.ts';
import { useCommand } from '../controls/notice.tsx';
import { useStore, useStoreView } from '../stream/event-store.ts';

export function StopReadingSwitch() {
  const store = useStore();
  const paused = useStoreView().config?.paused ?? false;
  const command = useCommand();
  const toggle = async () => {
    const next = await command('Stop reading', () => api.patchConfig({ paused: !paused }));
    if (next) store.applyConfig(next);
  };
  return (
    <button
      type="button"
      role="switch"
      aria-checked={paused}
      className={`switch ${paused ? 'on' : ''}`}
      title="While stopped the echo server reads nothing: watch Recv-Q grow and the advertised window shrink"
      onClick={() => void toggle()}
    >
      <i aria-hidden="true" />
      Stop reading
    </button>
  );
}

export function PcapButton({ conn, segments }: { conn: Connection | null; segments: number }) {
  if (conn === null || segments === 0) {
    return (
      <button type="button" className="small" disabled title="Nothing captured for this connection">
        Download pcap
      </button>
    );
  }
  return (
    <a
      className="button-link small"
      href={`/api/capture.pcap?connId=${conn.id}`}
      download={`tcpscope-conn-${conn.id}.pcap`}
      title="The captured frames of this connection (the newest 10 MB), for Wireshark or tcpdump -r"
      data-testid="pcap-download"
    >
      Download pcap
    </a>
  );
}
