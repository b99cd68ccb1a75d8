// The panel's Diagnose Cluster results (#8.1): one row per check with its severity, the evidence
// and a fix button where one exists; export as JSON; the support bundle.
import type { CheckResult, Severity } from '../../diagnose/checks';
import type { PanelState } from '../protocol';
import { button, el, run } from './dom';
import { t } from './l10n';
import type { HostConnection } from './rpc';

const MARK: Record<Severity, string> = { problem: '✖', warning: '▲', ok: '✔', skipped: '–' };

export function diagnosisSection(host: HostConnection) {
  const card = el('section', { className: 'card', id: 'diagnosis' });
  const summary = el('p', { className: 'summary' });
  const rows = el('tbody', {});
  const table = el('table', { id: 'diagnosis-table' }, el('thead', {}, el('tr', {}, el('th', {}, ''), el('th', {}, t('Check')), el('th', {}, t('Evidence')), el('th', {}, t('Fix')))), rows);
  const diagnose = button(t('Diagnose'), (b) => run(b, card, async () => {
    const d = await host.request('diagnose', {});
    return t('{0} problem(s), {1} warning(s), {2} ok, {3} not checked.', d.counts.problem, d.counts.warning, d.counts.ok, d.counts.skipped);
  }));
  const exportJson = button(t('Export JSON'), (b) => run(b, card, async () => t('Written to {0}', await host.request('exportDiagnosis', {}))));
  const bundle = button(t('Support Bundle…'), (b) => run(b, card, async () => {
    const file = await host.request('supportBundle', {});
    return file ? t('Support bundle written to {0}', file) : t('No bundle made.');
  }));
  exportJson.classList.add('secondary');
  bundle.classList.add('secondary');
  card.append(el('h2', {}, t('Diagnose Cluster')),
    el('p', { className: 'muted' }, t('Meta\'s WADebug checks that apply here, and the HA/Multiconnect checks it lacks.')), diagnose, exportJson, bundle, summary, table);

  const update = (state: PanelState): void => {
    const view = state.diagnose;
    const d = view?.diagnosis;
    diagnose.disabled = Boolean(view?.diagnosing);
    table.hidden = !d;
    exportJson.hidden = !d;
    if (!d) {
      summary.className = 'muted';
      summary.textContent = view?.diagnosing ? t('Diagnosing…') : t('Not diagnosed yet.');
      return;
    }
    const level = d.counts.problem ? 'error' : d.counts.warning ? 'warning' : 'ok';
    summary.className = `summary ${level}`;
    summary.textContent = t('{0} problem(s), {1} warning(s), {2} ok, {3} not checked — {4}', d.counts.problem, d.counts.warning, d.counts.ok, d.counts.skipped, new Date(d.at).toLocaleTimeString());
    const key = JSON.stringify(d);
    if (rows.dataset.shown === key) return;
    rows.dataset.shown = key;
    rows.replaceChildren(...d.results.map((r) => resultRow(r, host, card)));
  };
  return { card, update };
}

function resultRow(r: CheckResult, host: HostConnection, card: HTMLElement): HTMLTableRowElement {
  const fix = r.fix ? button(r.fix.label, (b) => run(b, card, () => host.request('runFix', { id: r.id }))) : '';
  if (fix) fix.classList.add('secondary');
  return el('tr', { className: `check severity-${r.severity}`, 'data-check': r.id },
    el('td', { className: 'severity', title: r.severity }, MARK[r.severity]),
    el('td', {}, r.title, el('span', { className: 'origin muted' }, ` ${r.origin}`)),
    el('td', { className: 'evidence-text' }, r.evidence),
    el('td', {}, fix));
}
