// Registration, application settings and the sent-message log.
import { defaultSettings, withDefaults, type Settings } from '../logic/settings';
import type { Sql } from './sql';

export interface Registration {
  cc: string | null;
  phone: string | null;
  vname: string | null;
  codeHash: string | null;
  registered: boolean;
  shards: number;
}

export async function readRegistration(sql: Sql): Promise<Registration> {
  const rows = await sql.query<Record<string, string | number | null>>(
    'SELECT cc, phone, vname, code_hash, registered, shards FROM registration WHERE id = 1');
  const r = rows[0] ?? {};
  return {
    cc: (r.cc as string) ?? null, phone: (r.phone as string) ?? null, vname: (r.vname as string) ?? null,
    codeHash: (r.code_hash as string) ?? null, registered: Number(r.registered ?? 0) === 1, shards: Number(r.shards ?? 1),
  };
}

export async function writeRegistration(sql: Sql, reg: Registration, nowMs: number): Promise<void> {
  await sql.upsert('registration', ['id'], {
    id: 1, cc: reg.cc, phone: reg.phone, vname: reg.vname, code_hash: reg.codeHash,
    registered: reg.registered ? 1 : 0, shards: reg.shards, registered_ms: reg.registered ? nowMs : null,
  });
}

export async function readSettings(sql: Sql): Promise<Settings> {
  const rows = await sql.query<{ body: string }>('SELECT body FROM settings WHERE id = 1');
  return rows.length ? withDefaults(JSON.parse(rows[0].body)) : defaultSettings();
}

export async function writeSettings(sql: Sql, settings: Settings): Promise<void> {
  await sql.upsert('settings', ['id'], { id: 1, body: JSON.stringify(settings) });
}

export async function resetSettings(sql: Sql): Promise<void> {
  await sql.execute('DELETE FROM settings WHERE id = 1');
}

export async function recordMessage(sql: Sql, m: { id: string; recipient: string; nodeKey: string; shard: number }, nowMs: number, withShard: boolean): Promise<void> {
  const row: Record<string, unknown> = { id: m.id, recipient: m.recipient, node_key: m.nodeKey, created_ms: nowMs };
  if (withShard) row.shard = m.shard;
  await sql.insertIfAbsent('messages', ['id'], row);
}
