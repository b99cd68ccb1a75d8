// The panel's "Send a test message" card (#9): recipient and text; the answer shows the message id and
// the shard and coreapp it went to, with what says so.
import { ROUTES } from '../../contract';
import type { TestMessageResult } from '../../messages/testMessage';
import { button, el, field, run, values } from './dom';
import { t } from './l10n';
import type { HostConnection } from './rpc';

export function messageSection(host: HostConnection, draft: Record<string, string>) {
  const card = el('section', { className: 'card', id: 'test-message' });
  const form = el('form', {});
  form.append(
    field('to', t('Recipient (phone number with country code)'), draft.to),
    field('text', t('Text'), draft.text ?? t('Test message from VS Code'), { multiline: true }),
  );
  const outcome = el('div', { className: 'message-route' });
  const send = button(t('Send Test Message'), (b) => run(b, card, async () => {
    outcome.replaceChildren();
    const r = await host.request('sendTestMessage', values(form) as { to: string; text: string });
    outcome.replaceChildren(...routeView(r));
    return t('Sent (POST {1}): {0}', r.id, ROUTES.sendMessage.path);
  }));
  card.append(
    el('h2', {}, t('Send a test message')),
    el('p', { className: 'muted' }, t('POST {0}. The webapp routes it to the coreapp that owns shard hash(recipient) % shards; the extension reads which one from {1}, the coreapps\' logs and {2}.', ROUTES.sendMessage.path, ROUTES.statsApp.path, ROUTES.support.path)),
    form, send, outcome,
  );
  return { card };
}

function routeView(r: TestMessageResult): Node[] {
  const where = r.coreapp
    ? t('shard {0} · {1}', r.shard === undefined ? '?' : String(r.shard), r.coreapp)
    : t('shard and coreapp not known');
  return [
    el('p', { className: 'summary' }, el('span', { className: 'message-id' }, r.id), ` → ${where}`),
    ...(r.evidence.length ? [el('ul', { className: 'evidence muted' }, ...r.evidence.map((e) => el('li', {}, e)))] : []),
    ...(r.note ? [el('p', { className: 'warning' }, r.note)] : []),
  ];
}
