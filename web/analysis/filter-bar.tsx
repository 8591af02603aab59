// The display filter's bar: the filter text (checked as typed, its error shown inline with the
// position), a "hide pure ACKs" toggle, and a reminder of the grammar. Applies to the event log and
// the packet list alike.
import { useId } from 'react';
import { filterStore, useFilterState } from './filter-store.ts';
import './analysis.css';

export function FilterBar() {
  const f = useFilterState();
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="filter-bar" role="search" aria-label="Display filter">
      <label htmlFor={id} className="filter-label">
        Filter
      </label>
      <input
        id={id}
        className={`filter-input${f.error ? ' invalid' : f.ast ? ' valid' : ''}`}
        data-testid="display-filter"
        type="text"
        spellCheck={false}
        autoComplete="off"
        placeholder='len>0 && dir==c2s · kind==read && length<7 · flags.rst · contains "Hello"'
        value={f.text}
        aria-invalid={f.error !== null}
        aria-describedby={f.error ? errorId : undefined}
        onChange={(e) => filterStore.setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') filterStore.setText('');
        }}
      />
      {f.error && (
        <span id={errorId} className="filter-error" role="alert" data-testid="filter-error">
          {f.error.message}
        </span>
      )}
      <label className="check">
        <input type="checkbox" data-testid="hide-pure-acks" checked={f.hidePureAcks} onChange={(e) => filterStore.setHidePureAcks(e.target.checked)} />
        hide pure ACKs
      </label>
      <details className="filter-help">
        <summary>Grammar</summary>
        <p>
          Segments: <code>len seq ack win</code>, <code>dir==c2s|s2c</code>, <code>flags.syn ack fin rst psh urg</code>. Events:{' '}
          <code>kind length offset conn</code>. Compare with <code>== != &lt; &lt;= &gt; &gt;=</code>, join with <code>&amp;&amp; || !</code> and
          parentheses. <code>contains "Hello\n"</code> or <code>contains 0x48656c</code> searches the bytes. A field an item lacks is false.
        </p>
      </details>
    </div>
  );
}
