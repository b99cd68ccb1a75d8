// The panel's application settings editor (#9): one row per field of the contract with its meaning
// and range, checked here before anything is sent, then a diff to confirm, then applied.
import { MEDIA_TYPES, ROUTES, settingField } from '../../contract';
import { formatSettingValue, parseSettingInput, type SettingInput, type SettingRowView } from '../../settings/settingsForm';
import type { SettingsView } from '../../settings/settingsEditor';
import type { PanelState } from '../protocol';
import { button, el, run, showResult } from './dom';
import { t } from './l10n';
import type { HostConnection } from './rpc';

interface RowInput { row: SettingRowView; control: HTMLElement; read(): SettingInput; initial: string }

export function settingsSection(host: HostConnection) {
  const card = el('section', { className: 'card', id: 'settings' });
  const body = el('div', { className: 'settings-rows' });
  const confirmBox = el('div', { className: 'confirm', hidden: '' });
  const status = el('p', { className: 'muted' });
  let inputs: RowInput[] = [];
  let loadedFor: string | undefined;

  const show = (view: SettingsView): void => {
    inputs = view.rows.map(rowInput);
    body.replaceChildren(...inputs.map((i) => rowElement(i)));
    status.textContent = t('Read from the webapp at {0}.', new Date(view.readAt).toLocaleTimeString());
  };
  const load = async (): Promise<string> => {
    show(await host.request('getSettings', {}));
    return t('Settings loaded.');
  };
  /** The fields the user changed, checked here first (the extension host checks them again). */
  const changed = (): Record<string, SettingInput> | undefined => {
    const out: Record<string, SettingInput> = {};
    let ok = true;
    for (const i of inputs) {
      const value = i.read();
      if (JSON.stringify(value) === i.initial) continue;
      const field = settingField(i.row.path);
      const parsed = field ? parseSettingInput(field, value) : { problem: i.row.path };
      const slot = card.querySelector(`[data-error-for="${i.row.path}"]`);
      if (slot) slot.textContent = 'problem' in parsed ? parsed.problem : '';
      if ('problem' in parsed) { ok = false; continue; }
      out[i.row.path] = value;
    }
    return ok ? out : undefined;
  };

  const review = button(t('Review Changes…'), (b) => run(b, card, async () => {
    confirmBox.hidden = true;
    const values = changed();
    if (!values) throw new Error(t('Some values are not valid: see the fields marked below.'));
    if (Object.keys(values).length === 0) return t('Nothing changed in the form.');
    const asked = await host.request('applySettings', { values });
    if (asked.applied) return t('Applied.');
    const apply = button(t('Apply {0} Change(s)', asked.changes.length), (y) => run(y, card, async () => {
      confirmBox.hidden = true;
      const done = await host.request('applySettings', { values, confirmed: true });
      if (done.applied) show(done.settings);
      const unconfirmed = done.applied && done.unconfirmed.length ? ` ${t('The webapp does not report the new value of: {0}.', done.unconfirmed.join(', '))}` : '';
      return `${t('Applied at {0}: {1}. Health is polled again now.', new Date().toLocaleTimeString(), done.changes.join('; '))}${unconfirmed}`;
    }));
    const cancel = button(t('Cancel'), () => { confirmBox.hidden = true; showResult(card, t('Nothing changed.'), false); });
    cancel.classList.add('secondary');
    confirmBox.replaceChildren(
      el('p', { className: 'question' }, asked.question),
      el('ul', { className: 'changes' }, ...asked.changes.map((c) => el('li', {}, c))),
      ...(asked.restartRequired.length ? [el('p', { className: 'warning' }, t('Meta: {0} take(s) effect only after the coreapps restart.', asked.restartRequired.join(', ')))] : []),
      apply, cancel,
    );
    confirmBox.hidden = false;
    return t('Confirm the changes below.');
  }));
  const reload = button(t('Reload'), (b) => run(b, card, load));
  reload.classList.add('secondary');

  card.append(
    el('h2', {}, t('Application settings')),
    el('p', { className: 'muted' }, t('GET and PATCH {0} (admin). The values apply to the whole cluster; ⟳ marks fields Meta applies only after the coreapps restart.', ROUTES.settings.path)),
    status, body, review, reload, confirmBox,
  );

  /** Loads once per login (state pushes come with every health poll). */
  const update = (state: PanelState): void => {
    if (state.connectedAs === loadedFor) return;
    loadedFor = state.connectedAs;
    if (!loadedFor) { body.replaceChildren(el('p', { className: 'muted' }, t('Connect to the webapp to edit the settings.'))); status.textContent = ''; return; }
    void load().catch((e: Error) => showResult(card, e.message, true));
  };
  return { card, update };
}

function rowInput(row: SettingRowView): RowInput {
  let read: () => SettingInput;
  let control: HTMLElement;
  if (row.kind === 'boolean') {
    const box = el('input', { type: 'checkbox', name: row.path });
    box.checked = row.value === true;
    control = box;
    read = () => (row.value === undefined && !box.checked ? '' : box.checked);
  } else if (row.kind === 'media-list') {
    const boxes = MEDIA_TYPES.map((m) => {
      const box = el('input', { type: 'checkbox', name: row.path, value: m });
      box.checked = Array.isArray(row.value) && row.value.includes(m);
      return { m, box };
    });
    control = el('span', { className: 'media-types' }, ...boxes.map(({ m, box }) => el('label', { className: 'inline' }, box, m)));
    read = () => boxes.filter((b) => b.box.checked).map((b) => b.m);
  } else if (row.kind === 'choice') {
    const select = el('select', { name: row.path }, ...(row.choices ?? []).map((c) => el('option', { value: String(c) }, String(c))));
    select.value = row.value === undefined ? '' : String(row.value);
    control = select;
    read = () => select.value;
  } else {
    const input = el('input', { type: row.kind === 'integer' ? 'number' : 'text', name: row.path, autocomplete: 'off', spellcheck: 'false' });
    if (row.kind === 'integer') input.min = '1';
    input.value = row.value === undefined ? '' : String(row.value);
    if (row.kind === 'url') input.placeholder = 'https://…';
    control = input;
    read = () => input.value;
  }
  return { row, control, read, initial: JSON.stringify(read()) };
}

function rowElement({ row, control }: RowInput): HTMLElement {
  const reported = row.value === undefined ? t('not reported by this webapp') : t('default {0}', formatSettingValue(settingField(row.path), row.default));
  return el('div', { className: 'setting', 'data-path': row.path },
    el('label', { className: 'setting-name' }, `${row.path}${row.restartRequired ? ' ⟳' : ''}`, control),
    el('span', { className: 'muted setting-range' }, `${row.range} · ${reported}${row.deprecatedBy ? ` · ${t('deprecated: use {0}', row.deprecatedBy)}` : ''}`),
    el('span', { className: 'setting-meaning' }, row.meaning),
    el('span', { className: 'field-error', 'data-error-for': row.path }),
  );
}
