// "Watch a server": add a port, see each watch's state, mechanism, process and measured cost, remove it,
// and pick where the burst form sends.
import { type FormEvent, useEffect, useState } from 'react';
import type { Watch } from '../../shared/watch.ts';
import { api } from '../api.ts';
import { setBurstTarget, useBurstTarget } from './burst-target.ts';
import './watch.css';

const POLL_MS = 1000;

function useWatches(): [Watch[], () => void] {
  const [watches, setWatches] = useState<Watch[]>([]);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let alive = true;
    const load = () =>
      api.getWatches().then(
        (w) => alive && setWatches(w),
        () => {},
      );
    void load();
    const timer = setInterval(load, POLL_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [tick]);
  return [watches, () => setTick((t) => t + 1)];
}

export function WatchPanel() {
  const [watches, reload] = useWatches();
  const [port, setPort] = useState('');
  const [error, setError] = useState<string | null>(null);
  const target = useBurstTarget();

  async function add(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await api.addWatch(Number(port));
      setPort('');
      reload();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  async function remove(p: number) {
    try {
      await api.removeWatch(p);
      if (target === p) setBurstTarget(null);
    } catch (err) {
      setError((err as Error).message);
    }
    reload();
  }

  return (
    <section className="watch-panel" aria-label="Watch a server">
      <form onSubmit={(e) => void add(e)}>
        <label>
          Watch a server on port{' '}
          <input data-testid="watch-port" inputMode="numeric" size={6} value={port} onChange={(e) => setPort(e.target.value)} placeholder="8080" />
        </label>
        <button type="submit">Watch</button>
        <label>
          Bursts go to{' '}
          <select data-testid="burst-target" value={target ?? ''} onChange={(e) => setBurstTarget(e.target.value === '' ? null : Number(e.target.value))}>
            <option value="">tcpscope's echo server</option>
            {watches.map((w) => (
              <option key={w.port} value={w.port}>
                watched :{w.port}
              </option>
            ))}
          </select>
        </label>
        <span className="watch-note">Read buffer, reply mode, pause and framing act on tcpscope's own echo server only.</span>
      </form>
      {error && (
        <p className="watch-error" role="alert">
          {error}
        </p>
      )}
      {watches.length > 0 && (
        <ul className="watch-list">
          {watches.map((w) => (
            <li key={w.port} data-testid="watch-row" data-state={w.state}>
              <span className="mono">:{w.port}</span> <span className={`watch-state ${w.state}`}>{w.state}</span>
              {w.via && <span className="badge">{w.via}</span>}
              {w.pid !== null && (
                <span className="mono" title={w.command ?? ''}>
                  pid {w.pid} {w.command ? `· ${w.command.length > 60 ? w.command.slice(0, 59) + '…' : w.command}` : ''}
                </span>
              )}
              {w.slowdown !== null && <span title="watched ÷ unwatched throughput, measured by npm run bench">{w.slowdown.toFixed(2)}× speed traced</span>}
              {w.eventsLost > 0 && <span title="calls counted but not shown: the tracer's output ring overflowed">{w.eventsLost} calls without detail</span>}
              {w.reason && <span className="watch-reason">{w.reason}</span>}
              <button type="button" onClick={() => void remove(w.port)} aria-label={`Stop watching ${w.port}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
