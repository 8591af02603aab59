// One-click guided runs: each sets the echo server up, sends its traffic and says, in two sentences,
// what to look at. The list is in shared/ so that it shows even when the page replays a file.
import { useState } from 'react';
import { SCENARIOS, type ScenarioName, type ScenarioRun } from '../../shared/scenarios.ts';
import { useCommand } from '../controls/notice.tsx';
import { useStoreView } from '../stream/event-store.ts';
import { runScenario } from './scenarios-api.ts';
import './scenarios.css';

export function ScenariosPanel({ onRan, onSelect }: { onRan?: (run: ScenarioRun) => void; onSelect?: (id: number) => void }) {
  const { link } = useStoreView();
  const command = useCommand();
  const [running, setRunning] = useState<ScenarioName | null>(null);
  const [last, setLast] = useState<ScenarioRun | null>(null);
  const offline = link === 'replay';

  const run = async (name: ScenarioName) => {
    setRunning(name);
    const result = await command('Scenario', () => runScenario(name));
    setRunning(null);
    if (result) {
      setLast(result);
      onRan?.(result);
    }
  };

  return (
    <section className="scenarios" aria-label="Scenarios" data-testid="scenarios-panel">
      <div className="scenario-list">
        <h2>Scenarios</h2>
        {SCENARIOS.map((s, i) => (
          <button
            key={s.name}
            type="button"
            className={last?.name === s.name ? 'current' : ''}
            data-scenario={s.name}
            disabled={running !== null || offline}
            title={offline ? 'Scenarios run on a live server; this page shows a session file' : s.caption}
            onClick={() => void run(s.name)}
          >
            <span className="num">{i + 1}</span> {running === s.name ? 'running…' : s.title}
          </button>
        ))}
      </div>
      {last && (
        <div className="scenario-caption" role="status" data-testid="scenario-caption">
          <b>{last.title}</b>
          <span className="muted"> · connection{last.connIds.length === 1 ? '' : 's'} </span>
          {last.connIds.map((id, i) => (
            <button
              key={id}
              type="button"
              className="link-button"
              data-testid="scenario-conn"
              title={`Show #${id}${last.connIds.length > 1 ? (i === 0 ? ' (the first client)' : ` (client ${i + 1})`) : ''}`}
              onClick={() => onSelect?.(id)}
            >
              #{id}
            </button>
          ))}
          <p>{last.caption}</p>
          <button type="button" className="icon-button" aria-label="Dismiss caption" onClick={() => setLast(null)}>
            ×
          </button>
        </div>
      )}
    </section>
  );
}
