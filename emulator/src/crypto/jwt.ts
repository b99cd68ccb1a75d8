// HS256 JSON Web Tokens as issued by the Webapp: {user, iat, exp, "wa:rand"}, valid 7 days.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_LIFETIME_SEC = 7 * 24 * 3600;

export interface TokenClaims {
  user: string;
  iat: number;
  exp: number;
  'wa:rand': string;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export function signToken(user: string, secret: string, nowSec = Math.floor(Date.now() / 1000)): { token: string; claims: TokenClaims } {
  const claims: TokenClaims = { user, iat: nowSec, exp: nowSec + TOKEN_LIFETIME_SEC, 'wa:rand': randomBytes(16).toString('hex') };
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return { token: `${head}.${body}.${sig}`, claims };
}

/** Returns the claims of a well-signed, unexpired token, else null. */
export function verifyToken(token: string, secret: string, nowSec = Math.floor(Date.now() / 1000)): TokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    if (header.alg !== 'HS256') return null;
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as TokenClaims;
    if (typeof claims.user !== 'string' || typeof claims.exp !== 'number' || claims.exp <= nowSec) return null;
    return claims;
  } catch {
    return null;
  }
}

/** "YYYY-MM-DD HH:MM:SS+00:00", the format of expires_after. */
export function formatExpiry(epochSec: number): string {
  return new Date(epochSec * 1000).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '+00:00');
}
