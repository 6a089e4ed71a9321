// A progress bar on standard error (rows done, rows/s, ETA), shown only for jobs that run longer
// than about a second, only on a terminal, and never with --quiet.
import cliProgress from 'cli-progress';

const SHOW_AFTER_MS = 1000;

export class Progress {
  private bar: cliProgress.SingleBar | null = null;
  private readonly started = performance.now();

  /**
   * `total` is in the unit `update` reports progress in (bytes of input for text files, whose row
   * count is unknown until the end).
   */
  constructor(private readonly enabled: boolean, private readonly total: number) {}

  /** Rows done so far and how far through the input they are. */
  update(rows: number, done: number): void {
    if (!this.enabled) return;
    const elapsed = performance.now() - this.started;
    if (!this.bar) {
      if (elapsed < SHOW_AFTER_MS) return;
      this.bar = new cliProgress.SingleBar({
        stream: process.stderr,
        format: '{bar} {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}',
        hideCursor: true,
        etaBuffer: 50,
      }, cliProgress.Presets.shades_classic);
      this.bar.start(this.total, 0, { rows: 0, rate: 0 });
    }
    this.bar.update(done, { rows: rows.toLocaleString('en-US'), rate: Math.round((rows * 1000) / elapsed).toLocaleString('en-US') });
  }

  /** Removes the bar from the screen's bottom line; a completed job first shows 100%. */
  stop(completed: boolean): void {
    if (!this.bar) return;
    if (completed) this.bar.update(this.total);
    this.bar.stop();
  }
}

/** The bar is for a person watching a terminal: not when stderr is redirected, nor when results stream to the same terminal. */
export function progressWanted(quiet: boolean, toStdout: boolean): boolean {
  return !quiet && process.stderr.isTTY === true && !(toStdout && process.stdout.isTTY === true);
}
