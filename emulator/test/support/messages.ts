// Sending text messages through the Webapp, and finding which coreapp accepted each one.
import { shardFor } from '../../src/logic/routing';
import { Repeater } from './repeat';
import type { WabaClient, ApiResponse } from './waba-client';

/** One recipient per shard of an S-shard cluster (index = shard). */
export function recipientsPerShard(shards: number, prefix = '1631555'): string[] {
  const found: (string | undefined)[] = new Array(shards).fill(undefined);
  for (let i = 0; found.includes(undefined); i++) {
    const to = `${prefix}${String(2000 + i)}`;
    found[shardFor(to, shards)] ??= to;
  }
  return found as string[];
}

export function sendText(api: WabaClient, to: string, body = `hello ${to}`): Promise<ApiResponse> {
  return api.call('POST', '/v1/messages', { body: { recipient_type: 'individual', to, type: 'text', text: { body } } });
}

export interface SendResult {
  atMs: number;
  shard: number;
  status: number;
  id?: string;
  code?: number;
  details?: string;
}

/** Sends one message every intervalMs, round robin over the shards, until stopped. */
export class MessageStream {
  readonly results: SendResult[] = [];
  private readonly repeater: Repeater;
  private next = 0;

  constructor(private readonly api: WabaClient, private readonly recipients: string[], intervalMs = 250) {
    this.repeater = new Repeater(intervalMs, () => this.send(this.next++ % this.recipients.length));
  }

  start(): void {
    this.repeater.start();
  }

  stop(): Promise<void> {
    return this.repeater.stop();
  }

  private async send(shard: number): Promise<void> {
    const atMs = Date.now();
    try {
      const res = await sendText(this.api, this.recipients[shard]);
      const error = res.body?.errors?.[0];
      this.results.push({ atMs, shard, status: res.status, id: res.body?.messages?.[0]?.id, code: error?.code, details: error?.details });
    } catch (e) {
      this.results.push({ atMs, shard, status: 0, details: (e as Error).message });
    }
  }
}

/** "message <id> sent on shard <n>" lines of a coreapp log: id -> { atMs, shard }. */
export function sentMessages(log: string): Map<string, { atMs: number; shard: number }> {
  const out = new Map<string, { atMs: number; shard: number }>();
  for (const m of log.matchAll(/^(\S+) INFO +\S+ message (\S+) sent on shard (\d+)$/gm)) out.set(m[2], { atMs: Date.parse(m[1]), shard: Number(m[3]) });
  return out;
}
