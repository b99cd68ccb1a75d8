// The benchmark's results: every figure beside its comparison measured in the same run, the ratio,
// the goal, and the machine's load at the time. Written to bench/results.json (git-ignored).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { FIGURES, FigureSpec, figureSpec } from './figures';
import type { BenchResults, FigureResult, Measure } from './resultTypes';

export type { BenchResults, FigureEntry, FigureResult, Measure } from './resultTypes';

/** p50 / p95 (nearest rank) of samples, rounded to 0.01. */
export function stats(samples: number[]): { p50: number; p95: number; n: number } {
  if (samples.length === 0) return { p50: NaN, p95: NaN, n: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { p50: round(at(0.5)), p95: round(at(0.95)), n: samples.length };
}

export function sampled(label: string, unit: string, samples: number[]): Measure {
  return { label, unit, ...stats(samples) };
}

export function single(label: string, unit: string, value: number): Measure {
  return { label, unit, p50: round(value), n: 1 };
}

export const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

export const load1 = (): number => round(loadavg()[0]);

export class Results {
  readonly data: BenchResults;

  /** `log`: where each figure is printed as it is recorded. */
  constructor(mode: 'full' | 'smoke', private readonly log: (line: string) => void = console.log) {
    this.data = {
      at: new Date().toISOString(), mode,
      machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: round(totalmem() / 2 ** 30, 1), kernel: release(), loadAtStart: loadavg().map((l) => round(l)) },
      versions: toolVersions(),
      figures: {},
    };
  }

  /** Records a figure; the ratio and whether its goal is met come from the registry (figures.ts). */
  record(id: string, figure: { ours: Measure; comparison: Measure; parts?: Record<string, Measure>; note?: string; load?: number }): FigureResult | undefined {
    const spec = figureSpec(id);
    const empty = [figure.ours, figure.comparison].filter((m) => m.n === 0 || !Number.isFinite(m.p50));
    if (empty.length) { this.notRun(id, `no samples of ${empty.map((m) => m.label).join(' and ')}`); return undefined; }
    const ratio = {
      p50: safeRatio(figure.ours.p50, figure.comparison.p50),
      p95: figure.ours.p95 !== undefined && figure.comparison.p95 !== undefined ? safeRatio(figure.ours.p95, figure.comparison.p95) : undefined,
    };
    const result: FigureResult = { ours: figure.ours, comparison: figure.comparison, ratio, load: figure.load ?? load1(), ...(figure.parts ? { parts: figure.parts } : {}), ...(figure.note ? { note: figure.note } : {}) };
    if (spec.goal) result.goal = { text: spec.goal.text, met: spec.goal.met(result) };
    this.data.figures[id] = result;
    this.log(describeFigure(spec, result));
    return result;
  }

  /** A figure this run did not measure, and why (smoke mode, a phase that failed). */
  notRun(id: string, why: string): void {
    figureSpec(id);
    if (this.data.figures[id] && !('notRun' in this.data.figures[id])) return;
    this.data.figures[id] = { notRun: why };
    this.log(`${id.padEnd(34)} not run: ${why}`);
  }

  /** Every registered figure not recorded yet is marked as not run (`why`). */
  fillMissing(why: string): void {
    for (const spec of FIGURES) if (!this.data.figures[spec.id]) this.notRun(spec.id, why);
  }

  setVersion(name: string, version: string): void {
    this.data.versions[name] = version;
  }
}

function safeRatio(a: number, b: number): number | undefined {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? round(a / b, 3) : undefined;
}

function describeFigure(spec: FigureSpec, r: FigureResult): string {
  const m = (x: Measure) => `${x.p50}${x.p95 !== undefined ? ` / ${x.p95}` : ''} ${x.unit}`;
  const goal = r.goal ? `  goal ${r.goal.text}: ${r.goal.met === undefined ? '?' : r.goal.met ? 'met' : 'MISSED'}` : '';
  return `${spec.id.padEnd(34)} ${r.ours.label} ${m(r.ours)} | ${r.comparison.label} ${m(r.comparison)} | ratio ${r.ratio.p50 ?? '—'}${r.ratio.p95 !== undefined ? ` / ${r.ratio.p95}` : ''} | load ${r.load}${goal}`;
}

function toolVersions(): Record<string, string> {
  const run = (cmd: string, args: string[]): string => {
    try { return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 }).trim().split('\n')[0]; } catch { return 'not found'; }
  };
  const pkg = JSON.parse(readFileSync(`${__dirname}/../package.json`, 'utf8')) as { version: string };
  return {
    extension: pkg.version,
    node: process.version,
    dockerEngine: run('docker', ['version', '--format', '{{.Server.Version}} (API {{.Server.APIVersion}})']),
    dockerCli: run('docker', ['version', '--format', '{{.Client.Version}}']),
    composeV1: run('docker-compose', ['version', '--short']),
    composeV2: run('docker', ['compose', 'version', '--short']),
  };
}
