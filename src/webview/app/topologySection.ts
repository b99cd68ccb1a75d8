// The panel's live topology (#8.2): masters, coreapps with their shards, the webapp and the
// database as an SVG in theme colours, redrawn only when something changed; under it the history of
// role/status changes since the extension started watching (#8.4).
import type { TopologyLayout } from '../../topology/topologyLayout';
import type { PanelState } from '../protocol';
import { el, syncKeyed } from './dom';
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
    if (!layout) { picture.replaceChildren(); delete picture.dataset.drawn; }
    const ms = layout && drawIfChanged(picture, layout, () => patchTopology(picture, layout));
    if (ms !== undefined) void host.request('reportRender', { section: 'topology', ms, nodes: layout!.boxes.length }).catch(() => undefined);
    const shown = [...(view?.history ?? [])].reverse();
    if (shown.length) syncKeyed(history, shown, (e) => e.at + e.change.text, (e) => el('li', { className: `change-${e.change.kind}` }, el('time', { datetime: e.at }, new Date(e.at).toLocaleTimeString()), ' ', e.change.text));
    else history.replaceChildren(el('li', { className: 'muted' }, t('No role, status or shard change since the extension started watching.')));
  };
  return { card, update };
}

type Piece =
  | { kind: 'link'; id: string; cls: string; x1: number; y1: number; x2: number; y2: number }
  | { kind: 'box'; id: string; box: TopologyLayout['boxes'][number] };

/** Patches the picture in place: only the boxes and links whose data changed are drawn again. */
function patchTopology(slot: HTMLElement, layout: TopologyLayout): void {
  let picture = slot.querySelector<SVGSVGElement>('#topology-svg');
  if (!picture) {
    picture = svg('svg', { id: 'topology-svg', class: 'topology' });
    slot.replaceChildren(picture);
  }
  for (const [name, value] of [['viewBox', `0 0 ${layout.width} ${layout.height}`], ['width', String(layout.width)], ['height', String(layout.height)]]) {
    if (picture.getAttribute(name) !== value) picture.setAttribute(name, value);
  }
  const centre = new Map(layout.boxes.map((b) => [b.id, { x: b.x + b.w / 2, y: b.y + b.h / 2, top: b.y, bottom: b.y + b.h }]));
  const links: Piece[] = layout.links.flatMap((link) => {
    const a = centre.get(link.from), b = centre.get(link.to);
    if (!a || !b) return [];
    const down = b.y > a.y;
    return [{ kind: 'link' as const, id: `${link.from}>${link.to}`, cls: `link link-${link.kind}`, x1: a.x, y1: down ? a.bottom : a.y, x2: b.x, y2: down ? b.top : b.y }];
  });
  // Links first, so the boxes are drawn over them.
  const pieces = [...links, ...layout.boxes.map((box): Piece => ({ kind: 'box', id: box.id, box }))];
  syncKeyed(picture, pieces, (p) => `${p.kind}:${p.id}`, drawPiece);
}

function drawPiece(piece: Piece): SVGElement {
  if (piece.kind === 'link') return svg('line', { x1: piece.x1, y1: piece.y1, x2: piece.x2, y2: piece.y2, class: piece.cls });
  const box = piece.box;
  const g = titled(svg('g', { class: `node node-${box.kind} tone-${box.tone}`, 'data-node': box.title }), [box.title, box.subtitle, box.badge].filter(Boolean).join(' · '));
  g.append(
    svg('rect', { x: box.x, y: box.y, width: box.w, height: box.h, rx: 5 }),
    svg('text', { x: box.x + 8, y: box.y + 16, class: 'node-title' }, box.title),
    svg('text', { x: box.x + 8, y: box.y + 30, class: 'node-sub' }, box.subtitle),
  );
  if (box.badge) g.append(svg('text', { x: box.x + 8, y: box.y + 44, class: 'node-badge' }, box.badge));
  return g;
}
