// A row of buttons of which one is pressed: reply mode, buffer presets, the view switch.

export interface SegmentedOption<T> {
  value: T;
  label: string;
  title: string;
}

export function Segmented<T extends string | number>({
  options,
  value,
  onSelect,
  labelledBy,
}: {
  options: readonly SegmentedOption<T>[];
  value: T | undefined;
  onSelect(value: T): void;
  /** The id of the element naming the group. */
  labelledBy?: string;
}) {
  return (
    <div className="segmented" role="group" aria-labelledby={labelledBy}>
      {options.map((o) => (
        <button key={String(o.value)} type="button" aria-pressed={value === o.value} title={o.title} onClick={() => onSelect(o.value)}>
          {o.label}
        </button>
      ))}
    </div>
  );
}
