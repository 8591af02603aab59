// The progress line: one line rewritten in place on a terminal, a line per scenario otherwise.
export class Progress {
  private done = 0;
  private readonly start = Date.now();
  private lastScenario = '';
  private readonly tty = process.stderr.isTTY === true;

  constructor(private readonly total: number) {}

  /** Announces the step about to run. */
  step(scenario: string, detail: string): void {
    const elapsed = (Date.now() - this.start) / 1000;
    const pct = this.total > 0 ? Math.floor((100 * this.done) / this.total) : 0;
    const line = `[${String(pct).padStart(3)}%] ${clock(elapsed)}  ${scenario}: ${detail}`;
    if (this.tty) process.stderr.write(`\r\x1b[2K${line.slice(0, (process.stderr.columns ?? 100) - 1)}`);
    else if (scenario !== this.lastScenario) process.stderr.write(line + '\n');
    this.lastScenario = scenario;
  }

  /** Marks the announced step as done. */
  tick(): void {
    this.done++;
  }

  finish(): void {
    const line = `[100%] ${clock((Date.now() - this.start) / 1000)}  done`;
    process.stderr.write(this.tty ? `\r\x1b[2K${line}\n` : line + '\n');
  }
}

export function clock(seconds: number): string {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
