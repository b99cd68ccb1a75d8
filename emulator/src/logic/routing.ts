// Static sharding: shard_id = hash(recipient) % shards, with a stable 32-bit FNV-1a hash
// over the recipient's digits so "+1 631 555 1001" and "16315551001" land on one shard.

export function normalizeRecipient(to: string): string {
  return to.replace(/\D/g, '');
}

export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function shardFor(to: string, shards: number): number {
  return fnv1a32(normalizeRecipient(to)) % shards;
}
