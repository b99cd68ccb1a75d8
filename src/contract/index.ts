// The wire contract of the WhatsApp Business API (On-Premises): its routes, shapes, error codes,
// shard counts, settings and password rules, as Meta documents them. Imported by the extension (src/) and the emulator
// (emulator/src/) alike; no vscode, no Node APIs, no behaviour of either side. The parse*() functions
// check a body at run time and throw a ShapeError naming the part that does not fit.
export * from './account';
export * from './errors';
export * from './failover';
export * from './health';
export * from './messages';
export * from './passwordRules';
export * from './routes';
export * from './shards';
export * from './settings';
export * from './support';
export * from './stats';
export * from './webhooks';
export { ShapeError } from './shape';
