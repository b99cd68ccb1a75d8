// Admin operations the primary master performs; the Webapp only checks auth and forwards.
import { ROUTES } from '../../../../src/contract';
import { CONTROL_ROUTES, type ControlRoute } from '../../node/master-control';
import { forwardToPrimary } from '../cluster-client';
import type { Handler, Handlers } from '../http';
import { requireCurrentSchema, type WebState } from '../web-state';

export function masterOpRoutes(state: WebState): Handlers<ControlRoute> {
  const forward = (name: ControlRoute): Handler => async (ctx) => {
    await requireCurrentSchema(state);
    const reply = await forwardToPrimary(state.sql, name, ctx.body);
    // A changed webhook URL applies to the next callback, not after the sender's cache expires.
    if (ROUTES[name].path === ROUTES.settings.path && ROUTES[name].method !== 'GET') state.webhooks.invalidate();
    return { status: reply.status, body: (reply.body ?? {}) as Record<string, unknown> };
  };
  return Object.fromEntries(CONTROL_ROUTES.map((name) => [name, forward(name)])) as Handlers<ControlRoute>;
}
