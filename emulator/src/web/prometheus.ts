// Prometheus text exposition of the JSON metric families (`?format=prometheus`).
import type { MetricFamilies } from '../../../src/contract';

export interface LabelledFamilies {
  /** Labels added to every sample of these families (e.g. the node key of node-keyed stats). */
  labels: Record<string, string>;
  families: MetricFamilies;
}

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

function labelText(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  return entries.length ? `{${entries.map(([k, v]) => `${k}="${escape(v)}"`).join(',')}}` : '';
}

/** One HELP/TYPE header per metric name, then its samples from every set. */
export function prometheusText(sets: LabelledFamilies[]): string {
  const names = [...new Set(sets.flatMap((s) => Object.keys(s.families)))].sort();
  const lines: string[] = [];
  for (const name of names) {
    const first = sets.find((s) => s.families[name])?.families[name];
    if (!first) continue;
    lines.push(`# HELP ${name} ${first.help.replace(/\n/g, ' ')}`, `# TYPE ${name} ${first.type}`);
    for (const set of sets) {
      for (const sample of set.families[name]?.data ?? []) lines.push(`${name}${labelText({ ...set.labels, ...sample.labels })} ${sample.value}`);
    }
  }
  return lines.join('\n') + '\n';
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
