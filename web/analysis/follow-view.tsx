// Follow stream: both directions of one connection as text or hex, client bytes blue, server bytes
// purple; a solid orange bar where one server read ended, a dashed blue bar where one client write ended.
import { useMemo, type ReactElement } from 'react';
import type { ChunkEvent } from '../../shared/events.ts';
import type { ConnWire } from '../wire/wire-data.ts';
import { asHex } from './copy-format.ts';
import { followStream, type StreamPiece } from './follow-stream.ts';

export type FollowMode = 'text' | 'hex';

/** Printable ASCII and line breaks as they are, other bytes as '.' (Wireshark's follow view does the same). */
export function printable(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x09 ? String.fromCharCode(b) : b === 0x0d ? '' : '.';
  return s;
}

interface Props {
  wire: ConnWire;
  mode: FollowMode;
  picked: ChunkEvent | null;
  onPick(chunk: ChunkEvent): void;
  testId?: string;
}

export function FollowView({ wire, mode, picked, onPick, testId = 'follow-stream' }: Props) {
  const pieces = useMemo(() => followStream(wire), [wire]);
  if (pieces.length === 0) return <p className="empty">No bytes on this connection in the store.</p>;
  return (
    <div className="follow-body" data-testid={testId} data-pieces={pieces.length}>
      {pieces.map((p, i) => (
        <Piece key={p.chunk.seq} p={p} mode={mode} picked={picked?.seq === p.chunk.seq} onPick={onPick} newLine={mode === 'text' && i > 0 && turnsMidLine(pieces[i - 1]!, p)} />
      ))}
    </div>
  );
}

/** The other side speaks while the line is open ("Received: 7" then "Hello2"): start it on its own line. */
function turnsMidLine(prev: StreamPiece, p: StreamPiece): boolean {
  if (prev.dir === p.dir) return false;
  const last = prev.parts[prev.parts.length - 1]!.bytes;
  return last.length > 0 && last[last.length - 1] !== 0x0a;
}

function Piece({ p, mode, picked, onPick, newLine }: { p: StreamPiece; mode: FollowMode; picked: boolean; onPick(c: ChunkEvent): void; newLine: boolean }) {
  const out: ReactElement[] = [];
  p.parts.forEach((part, i) => {
    if (part.writeCutBefore) out.push(<span key={`w${i}`} className="follow-cut write" data-testid="write-cut" title="a client write ended here" />);
    out.push(<span key={i}>{mode === 'hex' ? `${asHex(part.bytes)} ` : printable(part.bytes)}</span>);
  });
  const label = p.dir === 'c2s' ? `read of ${p.chunk.length} B at offset ${p.chunk.offset}` : `reply of ${p.chunk.length} B`;
  return (
    <>
      {newLine && <br />}
      <span
        className={`follow-chunk ${p.dir}${picked ? ' picked' : ''}`}
        data-testid="follow-chunk"
        data-dir={p.dir}
        data-length={p.chunk.length}
        title={`${label}: click to copy it`}
        role="button"
        tabIndex={0}
        aria-pressed={picked}
        aria-label={label}
        onClick={() => onPick(p.chunk)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            onPick(p.chunk);
          }
        }}
      >
        {out}
        {p.missing > 0 && <span className="muted">{` …${p.missing} B not kept `}</span>}
      </span>
      {p.dir === 'c2s' && <span className="follow-cut" data-testid="read-cut" title="a server read ended here" />}
      {mode === 'hex' && <br />}
    </>
  );
}
