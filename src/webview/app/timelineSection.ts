// The failover drill's timeline chart (#8.3): gateway_status per node over time as bars, the kill
// and what changed as markers, each phase labelled with its duration, and the comparison with the
// cluster's heartbeat/unhealthy settings.
import type { ChartLayout } from '../../workflows/drillTimeline';
import type { PanelState } from '../protocol';
import { button, el, run } from './dom';
import { t } from './l10n';
import type { HostConnection } from './rpc';
import { drawIfChanged, svg, titled } from './svg';

const LABEL_W = 96, LANE_H = 18, TOP = 34, WIDTH = 760;

export function timelineSection(host: HostConnection) {
  const card = el('section', { className: 'card', id: 'drill' });
  const status = el('p', { className: 'muted' });
  const picture = el('div', { className: 'timeline-picture', role: 'img', 'aria-label': t('Failover timeline') });
  const phases = el('ul', { className: 'phases' });
  const start = button(t('Failover Drill…'), (b) => run(b, card, async () => (await host.request('failoverDrill', {})) ?? t('No drill ran.')));
  card.append(el('h2', {}, t('Failover drill')),
    el('p', { className: 'muted' }, t('Kills a connected coreapp or the primary master (after asking) and measures how long the cluster takes to move its role, from Docker\'s events and health polled every 200 ms.')),
    start, status, picture, phases);

  const update = (state: PanelState): void => {
    const drill = state.diagnose?.drill;
    start.disabled = Boolean(drill?.running) || !state.connectedAs;
    status.textContent = drill ? (drill.running ? t('Running on {0}: {1}', drill.target ?? '', drill.summary ?? '') : drill.summary ?? '') : t('No drill yet.');
    status.className = drill?.running ? 'warning' : 'muted';
    if (!drill?.chart) { picture.replaceChildren(); phases.replaceChildren(); return; }
    const chart = drill.chart;
    const ms = drawIfChanged(picture, chart, () => picture.replaceChildren(drawTimeline(chart)));
    if (ms !== undefined) void host.request('reportRender', { section: 'timeline', ms, nodes: chart.lanes.length }).catch(() => undefined);
    phases.replaceChildren(...chart.phases.map((p) => el('li', {}, t('{0} after {1} s', p.label, (p.t / 1000).toFixed(1)))),
      ...(drill.comparison ? [el('li', { className: 'comparison' }, drill.comparison)] : []),
      ...(drill.report ? [el('li', { className: 'muted' }, t('Report: {0}', drill.report))] : []));
  };
  return { card, update };
}

function drawTimeline(chart: ChartLayout): SVGSVGElement {
  const height = TOP + chart.lanes.length * LANE_H + 40;
  const x = (ms: number) => LABEL_W + ((ms - chart.from) / (chart.to - chart.from)) * (WIDTH - LABEL_W - 12);
  const picture = svg('svg', { id: 'timeline-svg', viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height, class: 'timeline' });
  for (const tick of chart.ticks) {
    picture.append(svg('line', { x1: x(tick), y1: TOP - 4, x2: x(tick), y2: height - 36, class: 'tick' }), svg('text', { x: x(tick), y: height - 22, class: 'tick-label' }, `${tick / 1000} s`));
  }
  chart.lanes.forEach((lane, i) => {
    const y = TOP + i * LANE_H;
    picture.append(svg('text', { x: 4, y: y + 12, class: 'lane-label' }, lane.node));
    for (const bar of lane.bars) {
      const w = Math.max(1, x(bar.to) - x(bar.from));
      picture.append(titled(svg('rect', { x: x(bar.from), y: y + 2, width: w, height: LANE_H - 5, class: `bar status-${/^\d+$/.test(bar.status) ? 'error' : bar.status}` }),
        `${lane.node}: ${bar.role ? `${bar.role} ` : ''}${bar.status} ${(bar.from / 1000).toFixed(1)}–${(bar.to / 1000).toFixed(1)} s`));
    }
  });
  // The kill and each phase: a line across the lanes with its label and time on top.
  const marks = [{ t: 0, label: t('kill'), cls: 'mark-kill' }, ...chart.phases.map((p) => ({ t: p.t, label: `${p.label} ${(p.t / 1000).toFixed(1)} s`, cls: 'mark-phase' }))];
  marks.forEach((m, i) => {
    picture.append(svg('line', { x1: x(m.t), y1: TOP - 6, x2: x(m.t), y2: height - 36, class: m.cls }),
      svg('text', { x: x(m.t) + 3, y: 10 + (i % 3) * 10, class: `mark-label ${m.cls}` }, m.label));
  });
  const failed = chart.marks.filter((k) => k.kind === 'message-failed');
  for (const m of failed) picture.append(titled(svg('circle', { cx: x(m.t), cy: height - 30, r: 2.5, class: 'message-failed' }), m.text));
  if (failed.length) picture.append(svg('text', { x: 4, y: height - 27, class: 'tick-label' }, t('● {0} failed', failed.length)));
  return picture;
}
