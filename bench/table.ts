// The figures of a bench run as a Markdown table: printed by `npm run bench`, and put into the
// speed page (docs/speed.md) by `npm run bench:readme`. Every registered figure gets a row.
import { FIGURES } from './figures';
import type { BenchResults, FigureEntry, Measure } from './results';

const num = (x: number): string => (Number.isFinite(x) ? String(x >= 100 ? Math.round(x) : Number(x.toPrecision(3))) : '—');

export function formatMeasure(m: Measure): string {
  const value = m.p95 !== undefined && m.n > 1 ? `${num(m.p50)} / ${num(m.p95)} ${m.unit} (p50 / p95, n=${m.n})` : `${num(m.p50)} ${m.unit}`;
  return `${m.label}: ${value}`;
}

function ratio(entry: Exclude<FigureEntry, { notRun: string }>): string {
  const { p50, p95 } = entry.ratio;
  if (p50 === undefined) return '—';
  return p95 === undefined ? `${num(p50)}×` : `${num(p50)}× / ${num(p95)}×`;
}

function goal(entry: Exclude<FigureEntry, { notRun: string }>): string {
  if (!entry.goal) return '—';
  const verdict = entry.goal.met === undefined ? 'not decided' : entry.goal.met ? '**met**' : '**missed**';
  return `${entry.goal.text}: ${verdict}`;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The header line: when, where, with what. */
export function describeRun(r: BenchResults): string {
  const v = r.versions;
  return `${r.mode === 'smoke' ? 'Smoke run' : 'Run'} of ${r.at.slice(0, 16).replace('T', ' ')} UTC${r.wallSeconds !== undefined ? ` (${Math.round(r.wallSeconds / 60)} min)` : ''}: `
    + `${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, Linux ${r.machine.kernel}; `
    + `load average ${r.machine.loadAtStart.join(' ')} at the start, ${r.machine.loadAtEnd?.join(' ') ?? '?'} at the end (the machine is shared). `
    + `Node ${v.node}, VS Code ${v.vscode ?? '(not started)'}, Docker engine ${v.dockerEngine}, CLI ${v.dockerCli}, compose v1 ${v.composeV1}, v2 ${v.composeV2}; extension ${v.extension}.`;
}

export function renderTable(r: BenchResults): string {
  const rows = FIGURES.map((spec) => {
    const entry = r.figures[spec.id];
    if (!entry) return `| ${cell(spec.title)} | missing from results.json | | | | |`;
    if ('notRun' in entry) return `| ${cell(spec.title)} | not run: ${cell(entry.notRun)} | | | ${spec.goal ? cell(spec.goal.text) : '—'} | |`;
    const parts = Object.values(entry.parts ?? {}).map((m) => formatMeasure(m));
    const ours = [formatMeasure(entry.ours), ...parts, ...(entry.note ? [`(${entry.note})`] : [])].map(cell).join('<br>');
    return `| ${cell(spec.title)} | ${ours} | ${cell(formatMeasure(entry.comparison))} | ${ratio(entry)} | ${cell(goal(entry))} | ${entry.load} |`;
  });
  return [
    describeRun(r),
    '',
    '| What | Measured (ours) | Compared with, same run | Ratio (p50 / p95) | Goal | Load |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
