// The panel's webhook inspector (#9): start/stop, where the receiver listens and what URL comes back,
// a count per callback type, and every callback live (newest first; the raw JSON on expand).
// Entries are appended as they come, so an expanded one stays open while others arrive.
import type { CallbackEntry } from '../../webhooks/callbackLog';
import type { InspectorView } from '../../webhooks/webhookInspector';
import type { PanelState } from '../protocol';
import { button, el, run } from './dom';
import { t } from './l10n';
import type { HostConnection } from './rpc';

export function inspectorSection(host: HostConnection) {
  const card = el('section', { className: 'card', id: 'inspector' });
  const summary = el('div', {});
  const counts = el('p', { className: 'callback-counts' });
  const list = el('div', { className: 'callbacks', role: 'list' });
  const header = el('div', { className: 'callback-header muted', hidden: '' }, ...[t('Time'), t('Type'), t('Status'), t('Message id'), t('Recipient / sender')].map((h) => el('span', {}, h)));
  const shown = new Map<number, HTMLElement>();
  const start = button(t('Start Inspector'), (b) => run(b, card, async () => { await host.request('startInspector', {}); return t('Inspecting: send a message to see its callbacks.'); }));
  const stop = button(t('Stop Inspector'), (b) => run(b, card, async () => (await host.request('stopInspector', {})).message ?? t('Stopped.')));
  const clear = button(t('Clear'), (b) => run(b, card, async () => { await host.request('clearInspector', {}); return t('Cleared.'); }));
  for (const b of [stop, clear]) b.classList.add('secondary');

  card.append(
    el('h2', {}, t('Webhook inspector')),
    el('p', { className: 'muted' }, t('Points webhooks.url at a receiver the extension runs on the cluster network, shows every callback, and puts the previous URL back on Stop.')),
    summary, start, stop, clear, counts, header, list,
  );

  const update = (state: PanelState): void => {
    const view = state.inspector;
    if (!view) return;
    summary.replaceChildren(...describe(view, Boolean(state.connectedAs)));
    start.hidden = view.state !== 'off';
    start.disabled = !state.connectedAs;
    stop.hidden = view.state !== 'on' && !view.leftover;
    stop.textContent = view.leftover && view.state === 'off' ? t('Restore webhooks.url') : t('Stop Inspector');
    clear.hidden = view.log.total === 0;
    header.hidden = view.log.entries.length === 0;
    counts.replaceChildren(...Object.entries(view.log.counts).map(([type, n]) => el('span', { className: 'count-chip', 'data-type': type }, `${type} ${n}`)));
    renderEntries(view.log.entries);
  };

  const renderEntries = (entries: readonly CallbackEntry[]): void => {
    const keep = new Set(entries.map((e) => e.seq));
    for (const [seq, element] of shown) if (!keep.has(seq)) { element.remove(); shown.delete(seq); }
    for (const entry of entries) {
      if (shown.has(entry.seq)) continue;
      const element = entryElement(entry);
      shown.set(entry.seq, element);
      list.prepend(element);
    }
  };
  return { card, update };
}

function describe(view: InspectorView, connected: boolean): Node[] {
  const lines: Node[] = [];
  if (view.state === 'on') {
    lines.push(el('p', { className: 'summary ok' }, t('Listening at {0} on network {1}.', view.url ?? '', view.network ?? '')));
    lines.push(el('p', { className: 'muted' }, t('Stop puts webhooks.url back to {0}. Connections from outside the network dropped: {1}.', view.previousUrl ?? '(none)', view.refused)));
  } else if (view.state === 'starting' || view.state === 'stopping') {
    lines.push(el('p', { className: 'muted' }, view.state === 'starting' ? t('Starting…') : t('Stopping…')));
  } else {
    if (view.leftover) lines.push(el('p', { className: 'warning' }, t('An earlier window left webhooks.url pointing at its inspector; "Restore webhooks.url" puts back {0}.', view.leftover)));
    lines.push(el('p', { className: 'muted' }, connected ? t('Off.') : t('Connect to the webapp to inspect its callbacks.')));
  }
  if (view.message) lines.push(el('p', { className: 'muted inspector-message' }, view.message));
  if (view.log.total) lines.push(el('p', { className: 'muted' }, t('{0} callback(s) received.', view.log.total)));
  return lines;
}

function entryElement(e: CallbackEntry): HTMLElement {
  const time = new Date(e.at).toLocaleTimeString();
  return el('details', { className: `callback callback-${e.type}`, role: 'listitem', 'data-seq': String(e.seq), 'data-message-id': e.messageId ?? '' },
    el('summary', {},
      el('span', { className: 'callback-time' }, time),
      el('span', { className: 'callback-type' }, e.type),
      el('span', { className: 'callback-detail' }, e.detail),
      el('span', { className: 'callback-id' }, e.messageId ?? '—'),
      el('span', { className: 'callback-peer muted' }, e.peer ?? ''),
    ),
    el('pre', { className: 'callback-raw' }, e.raw),
  );
}
