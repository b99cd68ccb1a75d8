import type { LoginBody } from '../../../../src/contract';
import { formatExpiry, signToken } from '../../crypto/jwt';
import { hashPassword } from '../../crypto/password-hash';
import { createUser, revokeToken, setPassword } from '../../db/auth-store';
import { ApiError, ErrorCode } from '../../logic/envelope';
import { parseCreateUser, parseNewPassword } from '../../logic/requests';
import { log } from '../../log';
import { basicCredentials, verifyLogin } from '../auth';
import type { Handlers } from '../http';
import { tooManyRequests } from '../rate-limit';
import type { WebState } from '../web-state';

export function userRoutes(state: WebState): Handlers<'login' | 'logout' | 'createUser'> {
  const { sql } = state;
  return {
    login: async (ctx) => {
      const client = ctx.req.socket.remoteAddress ?? '';
      const limit = state.limits.failedLogins;
      const wait = limit?.retryAfterSec(client) ?? 0;
      if (wait > 0) throw tooManyRequests(`failed logins from ${client}`, wait);
      const creds = basicCredentials(ctx.req);
      const user = creds && (await verifyLogin(sql, creds.username, creds.password));
      if (!creds || !user) {
        limit?.record(client);
        return { status: 401, empty: true };
      }
      const newPassword = parseNewPassword(ctx.body);
      if (user.mustChange && newPassword === undefined) {
        throw new ApiError(ErrorCode.PasswordChangeRequired, 'The default password must be changed: send {"new_password": "..."} with this login');
      }
      if (newPassword !== undefined) {
        await setPassword(sql, user.username, await hashPassword(newPassword));
        log.info(`password of user ${user.username} changed`);
      }
      const { token, claims } = signToken(user.username, state.jwtKey);
      return { status: 200, body: { users: [{ token, expires_after: formatExpiry(claims.exp) }] } satisfies LoginBody };
    },
    logout: async (ctx) => {
      const caller = await ctx.caller();
      if (caller.tokenId) await revokeToken(sql, caller.tokenId, caller.tokenExpMs ?? 0);
      return { status: 200, body: {} };
    },
    createUser: async (ctx) => {
      const req = parseCreateUser(ctx.body);
      const created = await createUser(sql, { username: req.username, passwordHash: await hashPassword(req.password), role: 'user', mustChange: false });
      if (!created) throw new ApiError(ErrorCode.AlreadyExists, `User ${req.username} already exists`);
      log.info(`user ${req.username} created`);
      return { status: 201, body: { users: [{ username: req.username }] } };
    },
  };
}
