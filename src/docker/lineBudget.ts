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
   * Counts `lines` about to be appended. When they do not fit, answers how many lines the channel
   * held: the caller clears it, then appends them (they count as the first lines after the clear).
   */
  take(lines = 1): number | undefined {
    const limit = this.limit();
    if (limit > 0 && this.held > 0 && this.held + lines > limit) {
      const cleared = this.held;
      this.held = lines;
      return cleared;
    }
    this.held += lines;
    return undefined;
  }
}
