import { shardsAdvice } from '../../api/accountForms';
import { ROUTES, SHARD_COUNTS } from '../../contract';
import type { PanelState } from '../protocol';
import { diagnosisSection } from './diagnosisSection';
import { button, el, field, run, showResult, syncKeyed, values } from './dom';
import { inspectorSection } from './inspectorSection';
import { t } from './l10n';
import { messageSection } from './messageSection';
import { HostConnection } from './rpc';
import { settingsSection } from './settingsSection';
import { timelineSection } from './timelineSection';
import { topologySection } from './topologySection';

let state: PanelState = { runningCoreapps: 0 };
const host = new HostConnection((s) => { state = s; render(); });
const app = document.getElementById('app')!;
const draft = host.draft();
const remember = (): void => {
  const values: Record<string, string> = {};
  for (const input of app.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>('[data-draft]')) values[input.name] = input.value;
  host.saveDraft(values);
};

const connection = el('section', { className: 'card', id: 'connection' });
const health = healthCard();
const registration = registrationCard();
const shards = shardsCard();
const settings = settingsSection(host);
const message = messageSection(host, draft);
const inspector = inspectorSection(host);
const topology = topologySection(host);
const diagnosis = diagnosisSection(host);
const drill = timelineSection(host);
app.append(el('h1', {}, t('WABA Cluster')), connection, health.card, topology.card, registration.card, shards.card, diagnosis.card, drill.card, settings.card, message.card, inspector.card);
app.addEventListener('input', remember);

function render(): void {
  connection.replaceChildren(
    el('h2', {}, t('Webapp')),
    el('p', {}, state.webapp ? (state.connectedAs ? t('{0} — connected as {1}', state.webapp, state.connectedAs) : t('{0} — not connected', state.webapp)) : t('No running container publishes the webapp port (443). Start the cluster first.')),
    ...(state.folder ? [el('p', { className: 'muted' }, t('Cluster folder: {0}', state.folder))] : []),
    ...(!state.connectedAs && state.webapp ? [button(t('Connect'), async (b) => { await run(b, connection, () => host.request('connect', {})); })] : []),
  );
  health.update();
  topology.update(state);
  diagnosis.update(state);
  drill.update(state);
  shards.update();
  settings.update(state);
  inspector.update(state);
}

/**
 * The health card keeps its elements and patches them: a poll with 35 nodes that changes one row
 * builds that row only.
 */
function healthCard() {
  const card = el('section', { className: 'card', id: 'health' });
  const backoff = el('p', { className: 'warning backoff', role: 'status' });
  const message = el('p', {});
  const summary = el('p', {});
  const rows = el('tbody', {});
  const table = el('table', { id: 'health-table' }, el('thead', {}, el('tr', {}, el('th', {}, t('Node')), el('th', {}, t('Role')), el('th', {}, 'gateway_status') /* l10n-ignore: Meta's field */)), rows);
  const problems = el('ul', { className: 'problems' });
  const checked = el('p', { className: 'muted', id: 'health-checked' });
  const check = button(t('Check Health'), (b) => run(b, card, () => host.request('checkHealth', {})));
  card.append(el('h2', {}, t('Health')), backoff, message, summary, table, problems, checked, check);
  const show = (element: HTMLElement, text: string | undefined, className?: string): void => {
    element.hidden = text === undefined;
    if (element.textContent !== (text ?? '')) element.textContent = text ?? '';
    if (className !== undefined && element.className !== className) element.className = className;
  };

  let shownAt: string | undefined;
  const update = (): void => {
    const h = state.health;
    // A new answer replaces what the last Check Health click said (an error that has passed, say).
    if (h?.at !== shownAt) { shownAt = h?.at; card.querySelector('.result')?.remove(); }
    // A rate limit (1015 / 429) is a wait, not a failure: the last health stays, marked as waiting.
    show(backoff, h?.backoff && t('{0} Next poll at {1}.', h.backoff.message, new Date(h.backoff.retryAt).toLocaleTimeString()));
    if (!h) show(message, state.connectedAs ? t('Waiting for the first answer of {0}…', ROUTES.health.path) : t('Connect to the webapp to see {0}.', ROUTES.health.path), 'muted');
    else show(message, h.kind === 'failed' && !h.backoff ? t('{1} failed: {0}', h.message, ROUTES.health.path) : undefined, 'error');
    const ok = h?.kind === 'ok' ? h : undefined;
    show(summary, ok && `${ok.summary}${ok.version ? ` · ${ok.version}` : ''}`, ok && `summary ${ok.level}`);
    table.hidden = !ok;
    syncKeyed(rows, ok?.rows ?? [], (r) => r.key, (r) => el('tr', {}, el('td', {}, r.key), el('td', {}, r.role ?? '—'), el('td', { className: r.error ? 'error' : `gw-${r.gatewayStatus}` }, r.error ?? r.gatewayStatus ?? '—')));
    problems.hidden = !ok?.problems.length;
    syncKeyed(problems, ok?.problems ?? [], (p) => p, (p) => el('li', {}, p));
    show(checked, ok && t('Checked {0}', new Date(ok.at).toLocaleTimeString()));
    check.hidden = !state.connectedAs;
  };
  return { card, update };
}

function registrationCard() {
  const card = el('section', { className: 'card', id: 'registration' });
  const form = el('form', {});
  const method = el('select', { name: 'method' }, el('option', { value: 'sms' }, 'SMS') /* l10n-ignore */, el('option', { value: 'voice' }, t('Voice call')));
  method.dataset.draft = '';
  method.value = draft.method ?? 'sms';
  form.append(
    field('cc', t('Country code'), draft.cc), field('phone_number', t('Phone number (without country code)'), draft.phone_number),
    el('label', {}, t('Method'), method), field('cert', t('Verified-name certificate (base64)'), draft.cert, { multiline: true }), field('pin', t('Two-step PIN (if enabled)'), '', { secret: true }),
  );
  const requestButton = button(t('Request Code'), (b) => run(b, card, async () => {
    const r = await host.request('requestCode', values(form) as never);
    return r.status === 201 ? t('The number is already registered (201).') : t('Code sent (202) for {0}. Enter it below.', r.vname ?? t('the certificate\'s name'));
  }));
  const verify = el('form', {});
  verify.append(field('code', t('Registration code'), ''));
  const verifyButton = button(t('Verify'), (b) => run(b, card, async () => { await host.request('verify', values(verify) as never); return t('Registered (201). Health shows a connected coreapp shortly.'); }));
  card.append(el('h2', {}, t('Register the number')), el('p', { className: 'muted' }, t('POST {0}, then {1} with the code sent by SMS or voice.', ROUTES.requestCode.path, ROUTES.verify.path)), form, requestButton, verify, verifyButton);
  return { card };
}

function shardsCard() {
  const card = el('section', { className: 'card', id: 'shards' });
  const select = el('select', { name: 'shards' }, ...SHARD_COUNTS.map((n) => el('option', { value: String(n) }, String(n))));
  select.dataset.draft = '';
  select.value = draft.shards ?? '2';
  const advice = el('p', { className: 'warning' });
  const current = el('p', { className: 'muted' });
  const form = el('form', {});
  form.append(el('label', {}, t('Shards'), select), field('shards_cert', t('Certificate (base64, required from v2.45)'), draft.shards_cert, { multiline: true }), field('shards_pin', t('Two-step PIN (if enabled)'), '', { secret: true }));
  // Asked once per login, not on every state push (health polls push every few seconds).
  let askedFor: string | undefined;
  const update = (): void => {
    advice.textContent = shardsAdvice(Number(select.value), state.runningCoreapps) ?? '';
    if (state.connectedAs === askedFor) return;
    askedFor = state.connectedAs;
    current.textContent = '';
    if (askedFor) void host.request('getShards', {}).then((n) => { current.textContent = n ? t('Current shards: {0}', n) : ''; }, () => undefined);
  };
  select.addEventListener('change', update);
  // Two steps: the host describes the change, the user confirms here, then it is applied.
  const confirmBox = el('div', { className: 'confirm', hidden: '' });
  const request = () => {
    const reg = values(registration.card.querySelector('form')!);
    const f = values(form);
    return { cc: reg.cc, phone_number: reg.phone_number, shards: f.shards, cert: f.shards_cert, pin: f.shards_pin };
  };
  const apply = button(t('Set Shards…'), (b) => run(b, card, async () => {
    const r = await host.request('setShards', request());
    if (r.applied) return t('Applied.');
    const yes = button(t('Yes, Set {0} Shards', request().shards), (y) => run(y, card, async () => {
      confirmBox.hidden = true;
      await host.request('setShards', { ...request(), confirmed: true });
      current.textContent = t('Current shards: {0}', request().shards);
      return t('Shards set to {0} (201). Health follows in a few seconds.', request().shards);
    }));
    const no = button(t('Cancel'), () => { confirmBox.hidden = true; showResult(card, t('Nothing changed.'), false); });
    no.classList.add('secondary');
    confirmBox.replaceChildren(el('p', { className: 'question' }, r.question), el('p', { className: 'muted' }, r.detail), yes, no);
    confirmBox.hidden = false;
    return t('Confirm below.');
  }));
  card.append(el('h2', {}, t('Multiconnect shards')), el('p', { className: 'muted' }, t('POST {0} for the number above. HA is 1 shard; Meta recommends shards + 1 coreapps.', ROUTES.shards.path)), current, form, advice, apply, confirmBox);
  return { card, update };
}

render();
