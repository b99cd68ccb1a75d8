// Bearer tokens (JWT) and the optional WA_API_KEY.
import type { IncomingMessage } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { verifyToken } from '../crypto/jwt';
import { checkPassword, hashPassword } from '../crypto/password-hash';
import { findUser, isRevoked, type UserRow } from '../db/auth-store';
import type { Sql } from '../db/sql';
import { ApiError, ErrorCode } from '../logic/envelope';
import type { Caller } from './http';

const unauthorized = () => new ApiError(ErrorCode.AccessDenied, 'Invalid credentials: a valid Bearer token is required', 401);

export function basicCredentials(req: IncomingMessage): { username: string; password: string } | null {
  const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return null;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const i = text.indexOf(':');
  return i < 0 ? null : { username: text.slice(0, i), password: text.slice(i + 1) };
}

let decoyHash: Promise<string> | undefined;

/**
 * The user when the password is right, else null. An unknown user name is checked against a decoy
 * hash, so it costs the same time as a wrong password and response times do not reveal user names.
 */
export async function verifyLogin(sql: Sql, username: string, password: string): Promise<UserRow | null> {
  const user = await findUser(sql, username);
  const hash = user?.passwordHash ?? (await (decoyHash ??= hashPassword(randomBytes(16).toString('hex'))));
  const matches = await checkPassword(password, hash);
  return user && matches ? user : null;
}

export async function resolveCaller(req: IncomingMessage, sql: Sql, jwtKey: string, apiKey?: string): Promise<Caller> {
  const header = req.headers.authorization ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) {
    const claims = verifyToken(bearer[1], jwtKey);
    if (!claims || (await isRevoked(sql, claims['wa:rand']))) throw unauthorized();
    const user = await findUser(sql, claims.user);
    if (!user) throw unauthorized();
    return { user: user.username, role: user.role, tokenId: claims['wa:rand'], tokenExpMs: claims.exp * 1000 };
  }
  const key = /^Apikey\s+(\S+)$/i.exec(header);
  if (key && apiKey && key[1].length === apiKey.length && timingSafeEqual(Buffer.from(key[1]), Buffer.from(apiKey))) {
    return { user: '_apiuser', role: 'apikey' };
  }
  throw unauthorized();
}
