// The wire view's two commands: stop the echo server reading (to watch the receive queue fill and the
// window close), and take the connection's captured frames away as a pcap file.
import type { Connection } from '../../shared/connections.ts';
import { api, downloadFromApi } from '../api.ts';
import { REPLAY_REASON } from '../session/live-only.tsx';
import { useCommand } from '../controls/notice.tsx';
import { useStore, useStoreView } from '../stream/event-store.ts';

export function StopReadingSwitch() {
  const store = useStore();
  const { config, link } = useStoreView();
  const paused = config?.paused ?? false;
  const replaying = link === 'replay';
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
      disabled={replaying}
      title={replaying ? REPLAY_REASON : 'While stopped the echo server reads nothing: watch Recv-Q grow and the advertised window shrink'}
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
  // Fetched with the page's token and saved from memory: a plain link could not carry it.
  return <DownloadPcap connId={conn.id} />;
}

function DownloadPcap({ connId }: { connId: number }) {
  const command = useCommand();
  const replaying = useStoreView().link === 'replay';
  return (
    <button
      type="button"
      className="small"
      disabled={replaying}
      title={replaying ? REPLAY_REASON : 'The captured frames of this connection (the newest 10 MB), for Wireshark or tcpdump -r'}
      data-testid="pcap-download"
      onClick={() => void command('Download pcap', () => downloadFromApi(`/api/capture.pcap?connId=${connId}`, `tcpscope-conn-${connId}.pcap`))}
    >
      Download pcap
    </button>
  );
}
