// The top line: is the page live, what is the echo server set to, and how much has been seen.
import { useStoreValue, useStoreView, type EchoAddress, type EventStore } from '../stream/event-store.ts';
import { NoticeBar } from '../controls/notice.tsx';
import { ViewControls } from '../controls/view-controls.tsx';
import { ConfigReset } from '../controls/config-reset.tsx';
import { describeFraming } from '../framing/framing-text.ts';

const readEcho = (store: EventStore): EchoAddress | null => store.getEcho();

export function StatusBar() {
  const { link, config, stats, connections, paused, pending } = useStoreView();
  const echo = useStoreValue(readEcho);
  const open = connections.filter((c) => c.state === 'open').length;
  return (
    <header className="status-bar">
      <a className="skip-link" href="#data">
        Skip to the data
      </a>
      <h1 className="brand">
        tcp<span>scope</span>
      </h1>
      <span data-testid="live-status" role="status" className={`link link-${link}`}>
        <i aria-hidden="true" />
        {link === 'live' ? 'live' : link === 'connecting' ? 'connecting' : link === 'replay' ? 'replay' : 'disconnected'}
      </span>
      {link === 'disconnected' && <span className="muted">reconnecting…</span>}
      {paused && <span className="badge warn">view frozen{pending > 0 ? ` · ${pending.toLocaleString()} new` : ''}</span>}
      <span className="sep" />
      {config && (
        <span className="muted" data-testid="config-summary">
          echo server: buffer <b>{config.bufferSize} B</b> · reply <b>{config.replyMode}</b> · framing{' '}
          <b>{describeFraming(config.framing)}</b>
          {config.paused && <b className="warn-text"> · reading stopped</b>}
        </span>
      )}
      {config && link !== 'replay' && <ConfigReset config={config} />}
      <span className="muted">
        <b>{open}</b> open · <b data-testid="event-count">{stats.received.toLocaleString()}</b> events
        {stats.skipped > 0 && (
          <span title="Counted exactly in the connections' counters, but not sent in detail: the live stream's share of a busy period, and reads, writes and replies past the server's event detail budget">
            {' '}
            · <b>{stats.skipped.toLocaleString()}</b> summarised
          </span>
        )}
        {stats.missed > 0 && <> · <b className="warn-text">{stats.missed.toLocaleString()}</b> missed</>}
      </span>
      {echo !== null && link !== 'replay' && (
        <span className="muted hint-nc" title="Connect your own client to the echo server" data-testid="nc-hint">
          try <code>nc {ncHost(echo)} {echo.port}</code>
        </span>
      )}
      <span className="grow" />
      <NoticeBar />
      <ViewControls />
    </header>
  );
}

/** A wildcard address is where the server listens, not one to dial: this page's own host reaches it. */
function ncHost(echo: EchoAddress): string {
  return echo.host === '0.0.0.0' || echo.host === '::' ? location.hostname.replace(/^\[|\]$/g, '') : echo.host;
}
