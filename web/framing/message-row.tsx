// The messages row of the byte ribbon: under the reads, where framing cut the stream into messages. A
// click selects a message and the ribbon lights up the reads that carried it; the cuts of both rows line
// up, so a message that needed three reads, or a read that finished one message and began the next, shows.
import { useMemo, useState } from 'react';
import type { Connection } from '../../shared/connections.ts';
import type { ChunkEvent } from '../../shared/events.ts';
import { toAsciiEscaped } from '../../shared/hex.ts';
import { eventBytes } from '../format/event-bytes.ts';
import { useStoreView } from '../stream/event-store.ts';
import { carriedBy, layoutMessages, type MessageEvent, messagesOf } from './message-links.ts';
import './framing.css';

export interface MessageLinks {
  messages: MessageEvent[];
  selected: MessageEvent | null;
  select(m: MessageEvent | null): void;
  /** Seqs of the reads that carried the selected message. */
  carried: ReadonlySet<number>;
}

export function useMessageLinks(conn: Connection | null): MessageLinks {
  const { events } = useStoreView();
  const messages = useMemo(() => messagesOf(events, conn?.id), [events, conn?.id]);
  const [pick, setPick] = useState<{ connId: number; seq: number } | null>(null);
  const selected = pick !== null && pick.connId === conn?.id ? (messages.find((m) => m.seq === pick.seq) ?? null) : null;
  const carried = useMemo(() => {
    const s = new Set<number>();
    if (selected) for (let seq = selected.firstReadSeq; seq <= selected.lastReadSeq; seq++) s.add(seq);
    return s;
  }, [selected]);
  return {
    messages,
    selected,
    select: (m) => setPick(m === null ? null : { connId: m.connId, seq: m.seq }),
    carried,
  };
}

/** The ribbon's read spans to light up: the ones it links itself, and the reads of the selected message. */
export function withCarriedReads<S extends { event: ChunkEvent }>(linked: Set<S>, reads: readonly S[], links: MessageLinks): Set<S> {
  if (links.carried.size === 0) return linked;
  const out = new Set(linked);
  for (const s of reads) if (links.carried.has(s.event.seq)) out.add(s);
  return out;
}

export function MessageRow(props: { links: MessageLinks; reads: readonly ChunkEvent[]; start: number; ppb: number; from: number; to: number }) {
  const { links, reads, start, ppb, from, to } = props;
  if (links.messages.length === 0) return null;
  const items = layoutMessages(links.messages, start, ppb, from, to);
  return (
    <div className="ribbon-row row-message" data-testid="ribbon-messages">
      {items.map(({ n, message, x, w }) => {
        const picked = links.selected?.seq === message.seq;
        const text = toAsciiEscaped(eventBytes(message).subarray(0, 32));
        return (
          <div
            key={message.seq}
            role="button"
            tabIndex={0}
            aria-pressed={picked}
            data-testid="ribbon-message"
            data-length={message.length}
            className={`seg seg-message ${n % 2 ? 'odd' : 'even'}${picked ? ' hot' : ''}`}
            style={{ left: x, width: w }}
            title={`message ${n} · ${message.length} B · carried by ${carriedBy(message, reads)}\n${text}${message.length > 32 ? '…' : ''}`}
            onClick={() => links.select(picked ? null : message)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') links.select(picked ? null : message);
            }}
          >
            {w >= 34 ? <span>{w >= 70 ? `m${n} · ` : ''}{message.length} B</span> : null}
          </div>
        );
      })}
    </div>
  );
}

/** One line under the ribbon about the selected message. */
export function MessageCaption({ links, reads }: { links: MessageLinks; reads: readonly ChunkEvent[] }) {
  const m = links.selected;
  if (m === null) return null;
  const n = links.messages.indexOf(m) + 1;
  return (
    <div className="message-caption" data-testid="message-caption">
      message {n} · bytes {m.offset}–{m.offset + Math.max(m.length, 1) - 1} · {m.length} B · carried by <b>{carriedBy(m, reads)}</b>
      <button type="button" className="icon-button" aria-label="Clear message selection" onClick={() => links.select(null)}>
        ×
      </button>
    </div>
  );
}
