// The built-in client: one new connection, `count` writes of the payload. With no interval the
// writes are corked and leave together, which is how three writes become one read.
import { useState, type FormEvent } from 'react';
import {
  BURST_COUNT_DEFAULT,
  BURST_COUNT_MAX,
  BURST_COUNT_MIN,
  BURST_INTERVAL_MS_DEFAULT,
  BURST_INTERVAL_MS_MAX,
  BURST_INTERVAL_MS_MIN,
  BURST_PAYLOAD_DEFAULT,
} from '../../shared/limits.ts';
import { api } from '../api.ts';
import { formatBytes } from '../format/describe-event.ts';
import { escapePayload, unescapePayload, writeBytes } from '../format/escapes.ts';
import { useCommand } from './notice.tsx';

export function BurstForm({ onSent }: { onSent?: (connId: number) => void }) {
  const command = useCommand();
  const [count, setCount] = useState(String(BURST_COUNT_DEFAULT));
  const [payload, setPayload] = useState(escapePayload(BURST_PAYLOAD_DEFAULT));
  const [intervalMs, setIntervalMs] = useState(String(BURST_INTERVAL_MS_DEFAULT));
  const [noDelay, setNoDelay] = useState(true);
  const [sending, setSending] = useState(false);

  const n = Number(count);
  const raw = unescapePayload(payload);
  const total = Number.isInteger(n) && n > 0 && n <= BURST_COUNT_MAX ? sumWrites(raw, n) : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSending(true);
    const accepted = await command('Send burst', () =>
      api.sendBurst({ count: Number(count), payload: raw, intervalMs: Number(intervalMs), noDelay }),
    );
    setSending(false);
    if (accepted) onSent?.(accepted.connId);
  };

  return (
    <form className="control burst" onSubmit={(e) => void submit(e)} aria-label="Burst">
      <span className="control-label">Burst</span>
      <input
        className="num narrow"
        aria-label="Count"
        title={`Number of writes (${BURST_COUNT_MIN}–${BURST_COUNT_MAX})`}
        type="number"
        min={BURST_COUNT_MIN}
        max={BURST_COUNT_MAX}
        value={count}
        onChange={(e) => setCount(e.target.value)}
      />
      <span className="unit">×</span>
      <input
        className="payload"
        aria-label="Payload"
        title="Bytes of each write. {n} is the write's number; \n \r \t \xNN are escapes"
        spellCheck={false}
        value={payload}
        onChange={(e) => setPayload(e.target.value)}
      />
      <span className="unit">every</span>
      <input
        className="num narrow"
        aria-label="Interval (ms)"
        title={`Pause between writes, ${BURST_INTERVAL_MS_MIN}–${BURST_INTERVAL_MS_MAX} ms; 0 sends them all at once`}
        type="number"
        min={BURST_INTERVAL_MS_MIN}
        max={BURST_INTERVAL_MS_MAX}
        value={intervalMs}
        onChange={(e) => setIntervalMs(e.target.value)}
      />
      <span className="unit">ms</span>
      <label className="check" title="TCP_NODELAY: send small writes at once instead of letting Nagle's algorithm gather them">
        <input type="checkbox" checked={noDelay} onChange={(e) => setNoDelay(e.target.checked)} />
        nodelay
      </label>
      <button type="submit" className="primary" disabled={sending}>
        Send burst
      </button>
      <span className="hint" data-testid="burst-total">
        {total === null ? '' : `= ${formatBytes(total)}`}
      </span>
    </form>
  );
}

function sumWrites(payload: string, count: number): number {
  if (!payload.includes('{n}')) return writeBytes(payload, 1) * count;
  let sum = 0;
  for (let i = 1; i <= count; i++) sum += writeBytes(payload, i);
  return sum;
}
