// Saving and opening sessions. Export: the server's session as JSON or CSV (or the open file again, when
// replaying). Open: pick a file, drop one anywhere on the page, or link one with `?session=URL`. A file is
// checked whole before anything changes, so a bad one leaves the live view as it was and says why.
import { useEffect, useRef, useState } from 'react';
import { sessionCsv } from '../../shared/session-csv.ts';
import { type SessionParse, sessionFileName } from '../../shared/session.ts';
import { useStore } from '../stream/event-store.ts';
import { ReplayBar } from './replay-bar.tsx';
import { ReplayController } from './replay-controller.ts';
import { fetchSession, readSessionFile, saveText } from './session-source.ts';
import { linkedSessionUrl, openedWith, useViewLink, writeViewLink } from './view-link.ts';
import { blockLiveCommands, downloadFromApi } from '../api.ts';
import { useCommand } from '../controls/notice.tsx';
import { LinkProposalBanner } from './link-proposal.tsx';
import { NewSession } from './new-session.tsx';
import { REPLAY_REASON } from './live-only.tsx';
import './session.css';

export function SessionBar({ pinned }: { pinned: number | null }) {
  const store = useStore();
  const command = useCommand();
  const proposal = useViewLink(pinned);
  const [controller, setController] = useState<ReplayController | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [loading, setLoading] = useState<string | null>(null);
  const picker = useRef<HTMLInputElement>(null);

  const open = async (name: string, load: () => Promise<SessionParse>, fromLink: boolean) => {
    setLoading(name);
    const result = await load();
    setLoading(null);
    if (!result.ok) {
      setProblem(`${name} was not opened: ${result.reason}.`);
      if (fromLink) store.start(); // the link's file is no good: show the live server instead
      return;
    }
    setProblem(null);
    const link = fromLink ? openedWith.link : {};
    // The previous controller, if any, is disposed by the effect below once this one replaces it.
    setController(new ReplayController(store, result.session, name, { at: link.at, speed: link.speed }));
    if (!fromLink) writeViewLink({ session: undefined, at: undefined, speed: undefined });
  };

  // A link's session, once (a ref, because development mode runs effects twice).
  const linkOpened = useRef(false);
  useEffect(() => {
    const url = linkedSessionUrl();
    if (url === null || linkOpened.current) return;
    linkOpened.current = true;
    void open(url, () => fetchSession(url), true);
  }, []);

  // Drop a file anywhere on the page.
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
    const onEnter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setDragging(true);
    };
    const onLeave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      if (--depth <= 0) (depth = 0), setDragging(false);
    };
    const onOver = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    const onDrop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const file = e.dataTransfer?.files[0];
      if (file) void open(file.name, () => readSessionFile(file), false);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
    };
  }, []);

  useEffect(() => () => controller?.dispose(), [controller]);

  // While a file replays, nothing may reach the live server (web/api.ts refuses it, whatever the control).
  useEffect(() => {
    blockLiveCommands(controller === null ? null : REPLAY_REASON);
  }, [controller]);

  const leave = () => {
    // The live socket was stopped for the file: a fresh page is the clean way back. Its address carries
    // nothing of the file's view (no buffer or framing to propose, no connection of the file's).
    location.assign(location.pathname);
  };

  const exportFile = (kind: 'json' | 'csv') => {
    if (controller === null) {
      // From the server, with the page's token: a plain link could not carry it.
      void command(`Export ${kind.toUpperCase()}`, () => downloadFromApi(`/api/session.${kind}`, `tcpscope-session.${kind}`));
      return;
    }
    const doc = controller.session;
    if (kind === 'json') saveText(JSON.stringify(doc), sessionFileName(doc.exportedAt, 'json'), 'application/json');
    else saveText(sessionCsv(doc.events), sessionFileName(doc.exportedAt, 'csv'), 'text/csv');
  };

  return (
    <section className="session-bar" aria-label="Session">
      <div className="control session-controls" data-testid="session-controls">
        <span className="control-label">Session</span>
        <button type="button" data-testid="export-json" onClick={() => exportFile('json')} title="Everything shown: config changes, connections and events">
          Export JSON
        </button>
        <button type="button" data-testid="export-csv" onClick={() => exportFile('csv')} title="The reads, writes, replies and messages as a table">
          Export CSV
        </button>
        <button type="button" onClick={() => picker.current?.click()} title="Open a session file (or drop one onto the page)">
          {loading ? 'Opening…' : 'Open…'}
        </button>
        <input
          ref={picker}
          type="file"
          accept=".json,application/json"
          hidden
          data-testid="session-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void open(file.name, () => readSessionFile(file), false);
          }}
        />
        <NewSession />
      </div>
      {problem && (
        <div className="session-problem" role="alert" data-testid="session-error">
          <span>{problem}</span>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setProblem(null)}>
            ×
          </button>
        </div>
      )}
      {proposal && <LinkProposalBanner proposal={proposal} />}
      {controller && <ReplayBar controller={controller} onLeave={leave} />}
      {dragging && (
        <div className="session-drop" aria-hidden="true">
          Drop a tcpscope session file to open it
        </div>
      )}
    </section>
  );
}
