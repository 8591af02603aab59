// The read buffer, reply mode, Stop reading and framing steer tcpscope's own echo server. With a watched
// server's connection selected, a user could take them for controls of that server: this says plainly
// which server they act on, beside them, rather than disabling them without a word.
import type { Connection } from '../../shared/connections.ts';

export function EchoOnlyNote({ conn }: { conn: Connection | null }) {
  if (conn?.origin !== 'watched' || !conn.watch) return null;
  const w = conn.watch;
  return (
    <p className="echo-only-note" role="note" data-testid="echo-only-note">
      #{conn.id} is on the watched server :{w.port} ({w.command || `pid ${w.pid}`}). Read buffer, reply, Stop reading and framing act on
      tcpscope's own echo server only, not on :{w.port}; <b>Send burst</b> goes where “Bursts go to” says.
    </p>
  );
}
