// The shapes of bench/results.json, apart from the code that records them (bench/results.ts), so
// the figure registry (bench/figures.ts) can name them without importing the recorder.
/** A measured quantity: one value (n = 1) or the median and 95th percentile of n samples. */
export interface Measure {
  label: string;
  unit: string;
  p50: number;
  p95?: number;
  n: number;
}

export interface FigureResult {
  ours: Measure;
  comparison: Measure;
  /** ours / comparison, for p50 and (both sampled) p95. */
  ratio: { p50?: number; p95?: number };
  goal?: { text: string; met?: boolean };
  /** 1-minute load average of the machine (2 cores) while this figure was measured. */
  load: number;
  /** Sub-figures (phases, parts) that explain the figure. */
  parts?: Record<string, Measure>;
  note?: string;
}

export type FigureEntry = FigureResult | { notRun: string };

export interface BenchResults {
  at: string;
  mode: 'full' | 'smoke';
  wallSeconds?: number;
  machine: { cpu: string; cores: number; memoryGiB: number; kernel: string; loadAtStart: number[]; loadAtEnd?: number[] };
  versions: Record<string, string>;
  figures: Record<string, FigureEntry>;
}
