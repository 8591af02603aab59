// Which picture of the selected connection the page shows: its reads (chart, byte stream, log) or
// its wire (segments, packet detail, kernel socket state).
export type MainView = 'reads' | 'wire';

const VIEWS: { id: MainView; label: string; title: string }[] = [
  { id: 'reads', label: 'Reads', title: 'Writes against reads, the byte stream and the event log' },
  { id: 'wire', label: 'Wire', title: 'The TCP segments on the wire, the packet detail and the kernel’s socket queues' },
];

export function ViewSwitch({ view, onChange }: { view: MainView; onChange(view: MainView): void }) {
  return (
    <div className="control view-switch">
      <span className="control-label" id="view-switch-label">
        View
      </span>
      <div className="segmented" role="group" aria-labelledby="view-switch-label">
        {VIEWS.map((v) => (
          <button key={v.id} type="button" aria-pressed={view === v.id} title={v.title} onClick={() => onChange(v.id)}>
            {v.label}
          </button>
        ))}
      </div>
    </div>
  );
}
