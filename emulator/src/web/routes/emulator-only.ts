// Routes that exist only in the emulator, outside Meta's /v1 namespace, for what only WhatsApp's
// servers could cause: POST /emulator/inbound-message {"from": "16315551234", "text": "hi",
// "name": "Kerry"} makes the cluster receive a text message, which goes out to the webhook as
// Meta's inbound-message callback (202 {"messages": [{"id"}]}).
import { readRegistration } from '../../db/account-store';
import { ApiError, ErrorCode } from '../../logic/envelope';
import { asBody, optionalString, requireString } from '../../logic/validation';
import { log } from '../../log';
import type { Route } from '../../../../src/contract';
import type { Handlers } from '../http';
import type { WebState } from '../web-state';

/** Not Meta's: outside the contract's table, described the same way. */
export const EMULATOR_ROUTES = {
  inboundMessage: { method: 'POST', path: '/emulator/inbound-message', access: { who: 'user' }, parse: (body: unknown) => body },
} as const satisfies Record<string, Route<unknown, unknown>>;

export function emulatorOnlyRoutes(state: WebState): Handlers<keyof typeof EMULATOR_ROUTES> {
  return {
    inboundMessage: async (ctx) => {
      const b = asBody(ctx.body);
      const from = requireString(b, 'from', /^\+?\d{5,20}$/, 'must be a phone number (digits)').replace(/^\+/, '');
      const text = requireString(b, 'text');
      const name = optionalString(b, 'name') ?? `Contact ${from.slice(-4)}`;
      if (!(await readRegistration(state.sql)).registered) throw new ApiError(ErrorCode.ServiceNotReady, 'The account is not registered');
      const id = await state.webhooks.inboundMessage(from, name, text);
      if (id === false) throw new ApiError(ErrorCode.WebhooksUrlNotConfigured, 'Webhooks URL is not configured: set settings.application webhooks.url first');
      log.info(`emulated inbound message ${id} from ${from} queued for the webhook`);
      return { status: 202, body: { messages: [{ id }] } };
    },
  };
}
