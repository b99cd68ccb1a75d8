// The wire contract of the WhatsApp Business API (On-Premises): shapes, error codes, shard counts
// and password rules, as Meta documents them. Imported by the extension (src/) and the emulator
// (emulator/src/) alike; no vscode, no Node APIs, no behaviour of either side.
export * from './errors';
export * from './health';
export * from './passwordRules';
export * from './shards';
