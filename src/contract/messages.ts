// `POST /v1/messages` (waba-api.md §4.5): a text message to one recipient, answered with its id.
import type { WabaMeta } from './health';
import { array, object, string } from './shape';

export interface TextMessageRequest { recipient_type: 'individual'; to: string; type: 'text'; text: { body: string } }

/** What the webapp answers a message it accepted (201). */
export interface MessagesBody { messages: Array<{ id: string }>; meta?: WabaMeta }

export function textMessage(to: string, body: string): TextMessageRequest {
  return { recipient_type: 'individual', to, type: 'text', text: { body } };
}

export function parseMessagesBody(body: unknown): MessagesBody {
  const first = object(array(object(body, '').messages, 'messages')[0], 'messages[0]');
  string(first.id, 'messages[0].id');
  return body as MessagesBody;
}
