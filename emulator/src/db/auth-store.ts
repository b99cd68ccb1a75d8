// Users, revoked tokens and cluster-wide secrets (JWT key, Webapp TLS certificate).
import type { Sql } from './sql';

export interface UserRow {
  username: string;
  passwordHash: string;
  role: 'admin' | 'user';
  mustChange: boolean;
}

export async function findUser(sql: Sql, username: string): Promise<UserRow | null> {
  const rows = await sql.query<Record<string, string | number>>('SELECT username, password_hash, role, must_change FROM users WHERE username = ?', [username]);
  if (!rows.length) return null;
  const r = rows[0];
  return { username: String(r.username), passwordHash: String(r.password_hash), role: r.role === 'admin' ? 'admin' : 'user', mustChange: Number(r.must_change) === 1 };
}

export async function setPassword(sql: Sql, username: string, passwordHash: string): Promise<void> {
  await sql.execute('UPDATE users SET password_hash = ?, must_change = 0 WHERE username = ?', [passwordHash, username]);
}

/** Returns false when the user exists already. */
export async function createUser(sql: Sql, user: UserRow): Promise<boolean> {
  const n = await sql.insertIfAbsent('users', ['username'], { username: user.username, password_hash: user.passwordHash, role: user.role, must_change: user.mustChange ? 1 : 0 });
  return n === 1;
}

export async function revokeToken(sql: Sql, tokenId: string, expiresMs: number): Promise<void> {
  await sql.insertIfAbsent('revoked_tokens', ['token_id'], { token_id: tokenId, expires_ms: expiresMs });
}

export async function isRevoked(sql: Sql, tokenId: string): Promise<boolean> {
  return (await sql.query('SELECT 1 FROM revoked_tokens WHERE token_id = ?', [tokenId])).length > 0;
}

/** First writer wins, so every Webapp replica and restart shares one value. */
export async function sharedSecret(sql: Sql, name: string, create: () => string): Promise<string> {
  const existing = await readStored(sql, name);
  if (existing !== undefined) return existing;
  await sql.insertIfAbsent('secrets', ['name'], { name, value: create() });
  return (await readStored(sql, name)) as string;
}

/** A stored value of the secrets table (also the uploaded webhook CA certificate), or undefined. */
export async function readStored(sql: Sql, name: string): Promise<string | undefined> {
  return (await sql.query<{ value: string }>('SELECT value FROM secrets WHERE name = ?', [name]))[0]?.value;
}

export async function writeStored(sql: Sql, name: string, value: string): Promise<void> {
  await sql.upsert('secrets', ['name'], { name, value });
}

/** Returns false when there was nothing to delete. */
export async function deleteStored(sql: Sql, name: string): Promise<boolean> {
  return (await sql.execute('DELETE FROM secrets WHERE name = ?', [name])) > 0;
}
