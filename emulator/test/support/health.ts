// Compact views of /v1/health bodies for assertions.
import type { WabaClient } from './waba-client';
export const NOT_READY = {
  errors: [{ code: 1011, title: 'Service not ready', details: 'Wacore is not instantiated. Please check wacore log for details.' }],
};

/** A node the webapp cannot reach: 1014 naming the address it tried (the node's container hostname). */
function isUnreachable(key: string, entry: any): boolean {
  const e = entry.errors?.[0];
  const host = key.split(':')[1];
  return entry.errors.length === 1 && e.code === 1014 && e.title === 'Internal error' && new RegExp(`^Unable to reach ${host}:6253 `).test(e.details);
}

/** service -> "role/gateway_status", "1011" (not ready) or "1014" (unreachable); throws on other entries. */
export function summarizeHealth(health: Record<string, any>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(health)) {
    const service = key.split(':')[0];
    if (entry.errors) {
      if (isUnreachable(key, entry)) out[service] = '1014';
      else if (JSON.stringify(entry) === JSON.stringify(NOT_READY)) out[service] = '1011';
      else throw new Error(`unexpected error entry for ${key}: ${JSON.stringify(entry)}`);
    } else {
      out[service] = `${entry.role}/${entry.gateway_status}`;
    }
  }
  return out;
}

/** Throws (so waitFor reports it) unless the summary matches, one master being primary. */
export function expectSummary(summary: Record<string, string>, expected: Record<string, string>): Record<string, string> {
  const a = JSON.stringify(Object.entries(summary).sort());
  const b = JSON.stringify(Object.entries(expected).sort());
  if (a !== b) throw new Error(`health ${a} != expected ${b}`);
  return summary;
}

export function primaryMasterOf(summary: Record<string, string>): string {
  const primaries = Object.entries(summary).filter(([, s]) => s.startsWith('primary_master/'));
  if (primaries.length !== 1) throw new Error(`expected exactly one primary master: ${JSON.stringify(summary)}`);
  return primaries[0][0];
}

/** GET /v1/health, checked for status and meta, as a summary. Throws so waitFor can retry. */
export async function healthSummary(api: WabaClient, version: string): Promise<Record<string, string>> {
  const res = await api.call('GET', '/v1/health');
  if (res.status !== 200) throw new Error(`health answered ${res.status}: ${JSON.stringify(res.body)}`);
  const meta = JSON.stringify(res.body.meta);
  if (meta !== JSON.stringify({ api_status: 'stable', version: `v${version}` })) throw new Error(`unexpected meta ${meta}`);
  return summarizeHealth(res.body.health);
}

/**
 * Multiconnect with `shards` shards: one primary master (connected), the other secondary, exactly
 * `shards` of the coreapps connected, the rest standbys. Throws otherwise (for waitFor).
 */
export function expectMulticonnect(summary: Record<string, string>, coreapps: string[], shards: number): Record<string, string> {
  const primary = primaryMasterOf(summary);
  const connected = coreapps.filter((c) => summary[c] === 'coreapp/connected');
  if (connected.length !== shards) throw new Error(`${shards} connected coreapps expected: ${JSON.stringify(summary)}`);
  return expectSummary(summary, {
    [primary]: 'primary_master/connected', [primary === 'master1' ? 'master2' : 'master1']: 'secondary_master/disconnected',
    ...Object.fromEntries(coreapps.map((c) => [c, connected.includes(c) ? 'coreapp/connected' : 'coreapp/disconnected'])),
  });
}
