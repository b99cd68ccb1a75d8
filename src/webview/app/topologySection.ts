// The panel's live topology (#8.2): masters, coreapps with their shards, the webapp and the
// database as an SVG in theme colours, redrawn only when something changed; under it the history of
// role/status changes since the extension started watching (#8.4).
import type { TopologyLayout } from '../../topology/topologyLayout';
import type { PanelState } from '../protocol';
import { el } from './dom';
import { t } from './l10n';
import type { HostConnection } from './rpc';
import { drawIfChanged, svg, titled } from './svg';

export function topologySection(host: HostConnection) {
  const card = el('section', { className: 'card', id: 'topology' });
  const picture = el('div', { className: 'topology-picture', role: 'img', 'aria-label': t('Cluster topology') });
  const history = el('ul', { className: 'history', id: 'history' });
  const empty = el('p', { className: 'muted' });
  card.append(el('h2', {}, t('Topology')), picture, empty, el('h3', {}, t('What changed')), history);

  const update = (state: PanelState): void => {
    const view = state.diagnose;
    const layout = view?.topology;
    empty.textContent = layout ? (state.connectedAs ? '' : t('Connect to the webapp to see roles, statuses and shards.')) : t('No containers yet: start the cluster.');
    const ms = layout ? drawIfChanged(picture, layout, () => drawTopology(layout)) : undefined;
    if (ms !== undefined) void host.request('reportRender', { section: 'topology', ms, nodes: layout!.boxes.length }).catch(() => undefined);
    else picture.replaceChildren();
    const entries = view?.history ?? [];
    const shown = entries.slice(-60).reverse();
    const key = JSON.stringify(shown.map((e) => e.at + e.change.text));
    if (history.dataset.shown === key) return;
    history.dataset.shown = key;
    history.replaceChildren(...(shown.length ? shown.map((e) => el('li', { className: `change-${e.change.kind}` },
      el('time', { datetime: e.at }, new Date(e.at).toLocaleTimeString()), ' ', e.change.text))
      : [el('li', { className: 'muted' }, t('No role, status or shard change since the extension started watching.'))]));
  };
  return { card, update };
}

function drawTopology(layout: TopologyLayout): SVGSVGElement {
  const picture = svg('svg', { id: 'topology-svg', viewBox: `0 0 ${layout.width} ${layout.height}`, width: layout.width, height: layout.height, class: 'topology' });
  const centre = new Map(layout.boxes.map((b) => [b.id, { x: b.x + b.w / 2, y: b.y + b.h / 2, top: b.y, bottom: b.y + b.h }]));
  for (const link of layout.links) {
    const a = centre.get(link.from), b = centre.get(link.to);
    if (!a || !b) continue;
    const down = b.y > a.y;
    picture.append(svg('line', { x1: a.x, y1: down ? a.bottom : a.y, x2: b.x, y2: down ? b.top : b.y, class: `link link-${link.kind}` }));
  }
  for (const box of layout.boxes) {
    const g = titled(svg('g', { class: `node node-${box.kind} tone-${box.tone}`, 'data-node': box.title }), [box.title, box.subtitle, box.badge].filter(Boolean).join(' · '));
    g.append(
      svg('rect', { x: box.x, y: box.y, width: box.w, height: box.h, rx: 5 }),
      svg('text', { x: box.x + 8, y: box.y + 16, class: 'node-title' }, box.title),
      svg('text', { x: box.x + 8, y: box.y + 30, class: 'node-sub' }, box.subtitle),
    );
    if (box.badge) g.append(svg('text', { x: box.x + 8, y: box.y + 44, class: 'node-badge' }, box.badge));
    picture.append(g);
  }
  return picture;
}
