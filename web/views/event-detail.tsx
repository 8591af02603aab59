// One event in full: its fields and, for a chunk, a classic hex dump of its bytes. Live batches
// carry only the first bytes of a long chunk; the rest is fetched from the server's store.
import { useEffect, useState } from 'react';
import type { TcpEvent } from '../../shared/events.ts';
import { EVENT_HEX_MAX_BYTES, EVENTS_QUERY_LIMIT_MAX } from '../../shared/limits.ts';
import { api } from '../api.ts';
import { bytesCarried, clockTime, describeEvent, type ByteCarrier } from '../format/describe-event.ts';
import { eventBytes } from '../format/event-bytes.ts';
import { hexdumpRows } from '../format/hexdump.ts';
import { kindColor } from './palette.ts';
import { CopyMenu } from '../analysis/copy-menu.tsx';
import { requestedText } from '../format/read-request.ts';

/** `requested`: what the call asked for (see read-request.ts), or null. */
export function EventDetail({ event, requested, onClose }: { event: TcpEvent; requested: number | null; onClose(): void }) {
  const full = useFullChunk(event);
  const chunk = full.event;
  return (
    <aside className="detail" aria-label="Event detail" data-testid="event-detail">
      <div className="panel-head">
        <h2>
          <span style={{ color: kindColor(event.kind) }}>{event.kind}</span> #{event.seq}
        </h2>
        <span className="muted">
          {clockTime(event.t)} · {event.connId === 0 ? 'server' : `conn #${event.connId}`}
        </span>
        <span className="grow" />
        <button type="button" className="icon-button" aria-label="Close detail" onClick={onClose}>
          ×
        </button>
      </div>
      <div className="detail-body" tabIndex={0}>
        <p className="detail-desc">{describeEvent(event)}</p>
        {requested !== null && chunk && (
          <p className="detail-desc" data-testid="detail-requested">
            {requestedText(event.kind as 'read', chunk.length, requested)}
            {event.kind === 'read' && event.requested === undefined ? ' (the read buffer)' : ''}
          </p>
        )}
        {chunk && (
          <>
            <CopyMenu bytes={eventBytes(chunk)} what={`${event.kind} payload`} />
            <pre className="hexdump">
              {hexdumpRows(eventBytes(chunk), chunk.offset ?? 0).map((r) => (
                <div key={r.offset}>
                  <span className="off">{r.offset}</span>  <span>{r.hex.padEnd(49)}</span> <span className="asc">{r.ascii}</span>
                </div>
              ))}
            </pre>
            {full.state === 'loading' && <p className="muted">Fetching all {chunk.length} bytes…</p>}
            {full.state === 'failed' && <p className="warn-text">Could not fetch the full bytes: {full.error}</p>}
            {chunk.truncated && full.state !== 'loading' && (
              <p className="muted">
                Showing the first {eventBytes(chunk).length} of {chunk.length} bytes
                {full.state === 'done' ? ` (the server keeps at most ${EVENT_HEX_MAX_BYTES} per event)` : ''}.
              </p>
            )}
          </>
        )}
      </div>
    </aside>
  );
}

type Full = { event: ByteCarrier | null; state: 'idle' | 'loading' | 'done' | 'failed'; error?: string };

/** The stored copy of a truncated live chunk, which holds more of its bytes. */
function useFullChunk(event: TcpEvent): Full {
  const live = bytesCarried(event);
  const [full, setFull] = useState<Full>({ event: live, state: 'idle' });
  useEffect(() => {
    setFull({ event: live, state: live?.truncated ? 'loading' : 'idle' });
    if (!live?.truncated) return;
    let cancelled = false;
    api
      .getEvents({ kind: event.kind, connId: event.connId, limit: EVENTS_QUERY_LIMIT_MAX })
      .then((events) => {
        if (cancelled) return;
        const stored = events.find((e) => e.seq === live.seq);
        const storedBytes = stored ? bytesCarried(stored) : null;
        // Past its byte cap the server drops the oldest events' bytes first: the live preview may hold more.
        const holdsAsMuch = storedBytes !== null && storedBytes.hex.length >= live.hex.length;
        setFull({ event: holdsAsMuch ? storedBytes : live, state: holdsAsMuch ? 'done' : 'failed', error: stored ? 'the server no longer holds its bytes' : 'no longer stored' });
      })
      .catch((err: unknown) => {
        if (!cancelled) setFull({ event: live, state: 'failed', error: err instanceof Error ? err.message : String(err) });
      });
    return () => {
      cancelled = true;
    };
  }, [event]); // eslint-disable-line react-hooks/exhaustive-deps
  return full;
}
