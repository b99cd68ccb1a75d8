// Stats and metrics (waba-api.md §4.11): `GET /v1/stats/app`, `GET /v1/stats/db` (Coreapp and
// database figures, node-keyed in HA/Multiconnect) and `GET /metrics` (the Webapp's own figures).
// All three answer JSON by default and Prometheus text with `?format=prometheus`; they accept a
// Bearer token of any user or `Authorization: Apikey <WA_API_KEY>`.
import type { WabaMeta } from './health';
import { array, isObject, join, number, object, oneOf, string, type Json } from './shape';

export const PROMETHEUS_FORMAT = 'prometheus';

export type MetricType = 'gauge' | 'counter';
export interface MetricSample { labels: Record<string, string>; value: number }
export interface MetricFamily { type: MetricType; help: string; data: MetricSample[] }
/** Metric name -> family, e.g. `web_uptime`, `db_messages`. */
export type MetricFamilies = Record<string, MetricFamily>;

export type StatsKind = 'app' | 'db';
/**
 * `{stats: {app|db: {<node key>: {<metric>: …}}}}`; for db stats only the primary master has
 * figures, every other node answers `{}`. A single instance answers the families unkeyed.
 */
export interface StatsBody { stats: Partial<Record<StatsKind, Record<string, MetricFamilies> | MetricFamilies>>; meta?: WabaMeta }
export interface MetricsBody { metrics: MetricFamilies; meta?: WabaMeta }

export interface NodeMetrics { key: string; families: MetricFamilies }

function parseFamily(value: unknown, path: string): MetricFamily {
  const f = object(value, path);
  oneOf(f.type, ['gauge', 'counter'], join(path, 'type'));
  string(f.help, join(path, 'help'));
  array(f.data, join(path, 'data')).forEach((sample, i) => {
    const s = object(sample, join(join(path, 'data'), i));
    const labels = object(s.labels, join(join(join(path, 'data'), i), 'labels'));
    for (const [k, v] of Object.entries(labels)) string(v, join(join(join(join(path, 'data'), i), 'labels'), k));
    number(s.value, join(join(join(path, 'data'), i), 'value'));
  });
  return f as unknown as MetricFamily;
}

export function parseFamilies(value: unknown, path: string): MetricFamilies {
  const families = object(value, path);
  for (const [name, family] of Object.entries(families)) parseFamily(family, join(path, name));
  return families as MetricFamilies;
}

function looksLikeFamily(value: unknown): boolean {
  return isObject(value) && typeof value.type === 'string' && Array.isArray(value.data);
}

/** `GET /v1/stats/app|db`: the figures of every node ("" for a single instance). */
export function parseStatsBody(body: unknown, kind: StatsKind): NodeMetrics[] {
  const section: Json = object(object(object(body, '').stats, 'stats')[kind], `stats.${kind}`);
  const values = Object.values(section);
  if (values.length > 0 && values.every(looksLikeFamily)) return [{ key: '', families: parseFamilies(section, `stats.${kind}`) }];
  return Object.entries(section).map(([key, families]) => ({ key, families: parseFamilies(families, join(`stats.${kind}`, key)) }));
}

/** `GET /metrics`. */
export function parseMetricsBody(body: unknown): MetricsBody {
  parseFamilies(object(body, '').metrics, 'metrics');
  return body as MetricsBody;
}

/** Sum of a family's samples whose labels include `match`; 0 when the family is absent. */
export function metricTotal(families: MetricFamilies, name: string, match: Record<string, string> = {}): number {
  return (families[name]?.data ?? [])
    .filter((s) => Object.entries(match).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}
