// Admin operations the primary master performs; the Webapp only checks auth and forwards.
import { forwardToPrimary } from '../cluster-client';
import { requireAdmin, type Route } from '../http';
import { requireCurrentSchema, type WebState } from '../web-state';

const FORWARDED: [method: string, op: string][] = [
  ['POST', 'account'],
  ['POST', 'account/verify'],
  ['POST', 'account/shards'],
  ['GET', 'account/shards'],
  ['GET', 'settings/application'],
  ['PATCH', 'settings/application'],
  ['DELETE', 'settings/application'],
  ['POST', 'settings/backup'],
  ['POST', 'settings/restore'],
];

export function masterOpRoutes(state: WebState): Record<string, Route> {
  const forward = (method: string, op: string): Route => async (ctx) => {
    await requireAdmin(ctx);
    await requireCurrentSchema(state);
    const reply = await forwardToPrimary(state.sql, method, op, ctx.body);
    // A changed webhook URL applies to the next callback, not after the sender's cache expires.
    if (op.startsWith('settings/') && method !== 'GET') state.webhooks.invalidate();
    return { status: reply.status, body: (reply.body ?? {}) as Record<string, unknown> };
  };
  return Object.fromEntries(FORWARDED.map(([method, op]) => [`${method} /v1/${op}`, forward(method, op)]));
}
