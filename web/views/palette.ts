// Colours that carry meaning, in one place so the chart, the ribbon and the log agree: the client's
// writes are always blue, the server's reads always orange.
export const COLORS = {
  write: '#4ea1ff',
  read: '#ffa344',
  /** Running totals: lighter than the bars they sum, so lines and bars stay apart. */
  writeLine: '#9cc9ff',
  readLine: '#ffd29e',
  reply: '#b392f0',
  open: '#3fcf8e',
  close: '#f47067',
  config: '#e3c26b',
  message: '#39c5cf',
  error: '#ff7b9c',
  other: '#8b98a9',
  grid: '#283039',
  axis: '#7d8896',
  /** The read buffer line: a limit, not an error, so neither red nor a data colour. */
  buffer: '#c9d1dc',
} as const;

export function kindColor(kind: string): string {
  return (COLORS as Record<string, string>)[kind] ?? COLORS.other;
}
