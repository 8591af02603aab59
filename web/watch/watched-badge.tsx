import type { Connection } from '../../shared/connections.ts';

/** A watched server's connection: which server (port, pid, command), and whether it was picked up mid-stream. */
export function WatchedBadge({ c }: { c: Connection }) {
  const w = c.watch;
  const title = w ? `traced in ${w.command || 'pid ' + w.pid} (pid ${w.pid})${c.midStream ? '; picked up mid-stream: offsets start at the first call seen' : ''}` : 'watched';
  return (
    <span className="badge watched" data-testid="watched-badge" title={title}>
      watched :{w?.port}
      {c.midStream ? ' · mid-stream' : ''}
    </span>
  );
}
