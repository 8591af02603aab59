// One segment taken apart: its header fields, the tutorial's subtraction that gives its payload
// length, and its payload bytes, each coloured by the read (or reply) that carried it.
import { useState } from 'react';
import type { Connection } from '../../shared/connections.ts';
import type { SegmentEvent } from '../../shared/wire.ts';
import { clockTime } from '../format/describe-event.ts';
import { eventBytes } from '../format/event-bytes.ts';
import { lengthNotes, nextRelativeSeq, optionsText, payloadSubtraction, flagsText, windowText } from './packet-text.ts';
import { payloadSpans, spanOfEachByte, streamOffsetOf, type PayloadSpan } from './payload-map.ts';
import type { SegmentNotes } from './stream-health.ts';
import type { ConnWire } from './wire-data.ts';

const BYTES_PER_ROW = 16;

interface Props {
  segment: SegmentEvent | null;
  notes: SegmentNotes | undefined;
  wire: ConnWire;
  conn: Connection | null;
  /** False when the segment was picked for the user (the first data segment), not clicked. */
  chosen: boolean;
  /** Said instead of "click an arrow" when the connection's events left the store. */
  gone?: string | null;
}

export function PacketDetail({ segment, notes, wire, conn, chosen, gone }: Props) {
  return (
    <section className="panel wire-detail" aria-label="Packet detail">
      <div className="panel-head">
        <h2>Packet</h2>
        {segment && (
          <span className="muted mono">
            {segment.direction === 'c2s' ? 'client → server' : 'server → client'} · {clockTime(segment.t)}
          </span>
        )}
        <span className="grow" />
        {segment && !chosen && <span className="muted small-text">the first data segment · click any arrow for another</span>}
      </div>
      <div className="detail-body" tabIndex={0} data-testid="packet-detail" data-seq={segment?.seq ?? ''}>
        {segment === null && gone ? (
          <p className="empty">{gone}</p>
        ) : segment === null ? (
          <p className="empty">Click an arrow in the ladder to take its segment apart: header fields, the length arithmetic and its payload bytes.</p>
        ) : (
          <SegmentFields segment={segment} notes={notes} wire={wire} conn={conn} />
        )}
      </div>
    </section>
  );
}

function SegmentFields({ segment: s, notes, wire, conn }: { segment: SegmentEvent; notes: SegmentNotes | undefined; wire: ConnWire; conn: Connection | null }) {
  const c2s = s.direction === 'c2s';
  const client = conn ? `${conn.remoteAddress}:${conn.remotePort}` : 'client';
  const server = conn ? `${conn.localAddress}:${conn.localPort}` : 'server';
  const tags = [notes?.retransmission && 'retransmission', notes?.zeroWindow && 'zero window', notes?.windowUpdate && 'window update', notes?.reset && 'reset'].filter(
    (t): t is string => typeof t === 'string',
  );
  const options = optionsText(s.options);
  return (
    <>
      <dl className="fields">
        <dt>IPv{s.ipVersion}</dt>
        <dd className="mono">{c2s ? `${client} → ${server}` : `${server} → ${client}`}</dd>
        <dt>Flags</dt>
        <dd className="mono">
          [{flagsText(s.flags)}]{tags.map((t) => (
            <span key={t} className="tag-bad">
              {t}
            </span>
          ))}
        </dd>
        <dt>Sequence</dt>
        <dd className="mono">
          {s.relativeSeq} <span className="muted">relative · {s.seqNumber} absolute · next {nextRelativeSeq(s)}</span>
        </dd>
        <dt>Acknowledgment</dt>
        <dd className="mono">
          {s.relativeAck === null ? (
            <span className="muted">— {s.flags.includes('ACK') ? '(the other side’s start was not seen)' : '(ACK flag off)'}</span>
          ) : (
            <>
              {s.relativeAck} <span className="muted">relative · {s.ackNumber} absolute</span>
            </>
          )}
        </dd>
        <dt>Window</dt>
        <dd className="mono">
          {windowText(s)} <span className="muted">(raw {s.windowRaw}, scale {s.windowShift === null ? '?' : s.windowShift})</span>
        </dd>
        <dt>Options</dt>
        <dd className="mono">{options.length === 0 ? <span className="muted">none</span> : options.join(' · ')}</dd>
      </dl>
      <div className="payload-math" data-testid="payload-math">
        <div className="math-line mono">{payloadSubtraction(s)}</div>
        {lengthNotes(s).map((n) => (
          <div key={n} className="muted small-text">
            {n}
          </div>
        ))}
      </div>
      <Payload segment={s} wire={wire} />
    </>
  );
}

function Payload({ segment: s, wire }: { segment: SegmentEvent; wire: ConnWire }) {
  const [hot, setHot] = useState<number | null>(null);
  if (s.payloadLength === 0) {
    return <p className="muted payload-none">No payload: this segment carries only flags, numbers and the window.</p>;
  }
  const c2s = s.direction === 'c2s';
  const chunks = c2s ? wire.reads : wire.replies;
  const spans = payloadSpans(s, chunks);
  const bytes = eventBytes(s);
  const owner = spanOfEachByte(bytes.length, spans);
  const start = streamOffsetOf(s);
  const writes = c2s ? payloadSpans(s, wire.writes) : [];
  const noun = c2s ? 'read' : 'reply';
  const rows: number[] = [];
  for (let at = 0; at < bytes.length; at += BYTES_PER_ROW) rows.push(at);
  const unclaimed = s.payloadLength - spans.reduce((n, sp) => n + sp.end - sp.start, 0);

  return (
    <div className={`payload dir-${s.direction}`}>
      <div className="payload-head">
        <b>Payload</b>
        <span className="muted">
          {s.payloadLength} B · {c2s ? 'client' : 'server'} stream bytes {start}–{start + s.payloadLength - 1}
          {writes.length > 0 && ` · from ${writes.length === 1 ? `write w${writes[0]!.index + 1}` : `writes w${writes[0]!.index + 1}–w${writes.at(-1)!.index + 1}`}`}
        </span>
      </div>
      <div className="hexdump mono" onMouseLeave={() => setHot(null)}>
        {rows.map((at) => (
          <div key={at} className="hex-row">
            <span className="hex-off">{(start + at).toString().padStart(6, ' ')}</span>
            <span className="hex-bytes">
              {Array.from(bytes.subarray(at, at + BYTES_PER_ROW), (b, i) => {
                const k = owner[at + i]!;
                const first = k >= 0 && spans[k]!.start === at + i;
                return (
                  <span
                    key={i}
                    className={`hb ${k < 0 ? 'unread' : `by${spans[k]!.index % 2}`} ${first ? 'first' : ''} ${k >= 0 && k === hot ? 'hot' : ''}`}
                    onMouseEnter={() => setHot(k < 0 ? null : k)}
                  >
                    {b.toString(16).toUpperCase().padStart(2, '0')}
                  </span>
                );
              })}
            </span>
            <span className="hex-ascii">
              {Array.from(bytes.subarray(at, at + BYTES_PER_ROW), (b, i) => {
                const k = owner[at + i]!;
                return (
                  <span key={i} className={`ha ${k < 0 ? 'unread' : `by${spans[k]!.index % 2}`} ${k >= 0 && k === hot ? 'hot' : ''}`}>
                    {b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'}
                  </span>
                );
              })}
            </span>
          </div>
        ))}
        {s.truncated && <div className="muted small-text">first {bytes.length} of {s.payloadLength} bytes shown</div>}
      </div>
      <ul className="span-legend">
        {spans.map((sp, k) => (
          <SpanItem key={sp.index} span={sp} k={k} noun={noun} hot={hot === k} onHover={setHot} />
        ))}
        {unclaimed > 0 && (
          <li className="muted">
            {unclaimed} B not {c2s ? 'read' : 'sent as a reply'} yet{c2s ? ' (still in the server’s receive queue, or reads not in view)' : ''}
          </li>
        )}
      </ul>
    </div>
  );
}

function SpanItem({ span, k, noun, hot, onHover }: { span: PayloadSpan; k: number; noun: string; hot: boolean; onHover(k: number | null): void }) {
  const whole = span.end - span.start === span.chunk.length;
  return (
    <li className={hot ? 'hot' : ''} onMouseEnter={() => onHover(k)} onMouseLeave={() => onHover(null)} data-testid="payload-span">
      <i className={`swatch by${span.index % 2}`} aria-hidden="true" />
      {noun === 'read' ? `r${span.index + 1}` : `reply ${span.index + 1}`}: payload bytes {span.start}–{span.end - 1} ({span.end - span.start} B)
      {whole ? '' : ` of a ${span.chunk.length}-byte ${noun}`}
    </li>
  );
}
