// Samples /v1/health and /v1/support every 200 ms (a sample does not wait for the previous one)
// and records every moment the cluster showed two primary masters or two owners of one shard.
import { Repeater } from './repeat';
import type { WabaClient } from './waba-client';

export interface Sample {
  /** Wall time the request was sent. */
  atMs: number;
  kind: 'health' | 'support';
  body?: Record<string, any>;
  error?: string;
}

/** What is impossible in one /v1/health body: two primaries, more connected coreapps than shards. */
export function healthViolation(health: Record<string, any>, shards: number): string | null {
  const entries = Object.entries(health);
  const primaries = entries.filter(([, e]) => e.role === 'primary_master').map(([k]) => k);
  if (primaries.length > 1) return `two primary masters: ${primaries.join(', ')}`;
  const connected = entries.filter(([, e]) => e.role === 'coreapp' && e.gateway_status === 'connected').map(([k]) => k);
  if (connected.length > shards) return `${connected.length} connected coreapps for ${shards} shards: ${connected.join(', ')}`;
  return null;
}

/** What is impossible in one /v1/support body: a shard (or the control shard -1) owned twice. */
export function supportViolation(support: Record<string, any>): string | null {
  const owners = new Map<number, string[]>();
  for (const [key, node] of Object.entries(support)) {
    for (const [first, last] of (node.shards ?? []) as number[][]) {
      for (let shard = first; shard <= last; shard++) owners.set(shard, [...(owners.get(shard) ?? []), key]);
    }
  }
  const twice = [...owners.entries()].filter(([, keys]) => keys.length > 1);
  return twice.length ? twice.map(([shard, keys]) => `shard ${shard} owned by ${keys.join(' and ')}`).join('; ') : null;
}

export class ClusterWatch {
  readonly samples: Sample[] = [];
  readonly violations: string[] = [];
  private readonly repeater: Repeater;

  constructor(private readonly api: WabaClient, private readonly shards: number, intervalMs = 200) {
    this.repeater = new Repeater(intervalMs, () => Promise.all([this.sample('health'), this.sample('support')]).then(() => undefined));
  }

  start(): void {
    this.repeater.start();
  }

  stop(): Promise<void> {
    return this.repeater.stop();
  }

  /** Samples sent in [fromMs, toMs) that got an answer. */
  answered(fromMs: number, toMs = Infinity): Sample[] {
    return this.samples.filter((s) => s.body && s.atMs >= fromMs && s.atMs < toMs);
  }

  private async sample(kind: 'health' | 'support'): Promise<void> {
    const atMs = Date.now();
    try {
      const res = await this.api.call('GET', `/v1/${kind}`);
      if (res.status !== 200) {
        this.samples.push({ atMs, kind, error: `HTTP ${res.status} ${JSON.stringify(res.body)}` });
        return;
      }
      const body = res.body[kind] as Record<string, any>;
      this.samples.push({ atMs, kind, body });
      const violation = kind === 'health' ? healthViolation(body, this.shards) : supportViolation(body);
      if (violation) this.violations.push(`${new Date(atMs).toISOString()} ${kind}: ${violation} in ${JSON.stringify(body)}`);
    } catch (e) {
      this.samples.push({ atMs, kind, error: (e as Error).message });
    }
  }
}
