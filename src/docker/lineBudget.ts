/**
 * How many lines an output channel holds before it is cleared. VS Code keeps every line of a
 * channel that the Output view shows twice, in the window and in the extension host (as an open
 * document, for every extension to read), so a chatty log grew both without end: 120,000 lines
 * took 22 MB of the extension host's heap. A terminal bounds its scrollback for the same reason.
 */
export class LineBudget {
  private held = 0;

  /** `limit()`: the lines to hold, read at every line so a settings change applies at once; 0 holds all. */
  constructor(private readonly limit: () => number) {}

  /**
   * Counts a line about to be appended. When it does not fit, answers how many lines the channel
   * held: the caller clears it, then appends the line (the first one after the clear).
   */
  take(): number | undefined {
    const limit = this.limit();
    if (limit > 0 && this.held >= limit) {
      const cleared = this.held;
      this.held = 1;
      return cleared;
    }
    this.held++;
    return undefined;
  }
}
