// Which picture of the selected connection the page shows: its reads (chart, byte stream, log) or
// its wire (segments, packet detail, kernel socket state).
import { Segmented, type SegmentedOption } from '../controls/segmented.tsx';

export type MainView = 'reads' | 'wire';

const VIEWS: SegmentedOption<MainView>[] = [
  { value: 'reads', label: 'Reads', title: 'Writes against reads, the byte stream and the event log' },
  { value: 'wire', label: 'Wire', title: 'The TCP segments on the wire, the packet detail and the kernel’s socket queues' },
];

export function ViewSwitch({ view, onChange }: { view: MainView; onChange(view: MainView): void }) {
  return (
    <div className="control view-switch">
      <span className="control-label" id="view-switch-label">
        View
      </span>
      <Segmented options={VIEWS} value={view} onSelect={onChange} labelledBy="view-switch-label" />
    </div>
  );
}
