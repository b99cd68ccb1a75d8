// The panel's live topology as plain data: where each box (webapp, database, masters, coreapps with
// their shards) goes and which links join them. Pure: the webview draws it as SVG in theme colours;
// the bench and the tests measure and check it without a browser. Readable up to Meta's maximum
// (2 masters, 33 coreapps): coreapps wrap into rows.
import { conflictingNodes, healthOfContainer, type NodeHealth, type NodeShards } from '../cluster/clusterHealth';
import type { ContainerNode } from '../docker/containerNode';
import { anyShardOwned, shardPart, shardText } from './shardMap';

export type BoxKind = 'webapp' | 'db' | 'master' | 'coreapp' | 'other';
export type Tone = 'ok' | 'idle' | 'warn' | 'error';

export interface TopologyBox {
  id: string;
  kind: BoxKind;
  x: number; y: number; w: number; h: number;
  title: string;
  /** role · gateway_status, an error code, or the Docker state. */
  subtitle: string;
  /** "shard 1", "control shard", "standby". */
  badge?: string;
  tone: Tone;
}

export interface TopologyLink { from: string; to: string; kind: 'db' | 'api' | 'shard' }

export interface TopologyLayout { width: number; height: number; boxes: TopologyBox[]; links: TopologyLink[] }

export const BOX = { w: 140, h: 50, gapX: 12, gapY: 18, pad: 12 } as const;

function kindOf(node: ContainerNode, health: NodeHealth | undefined): BoxKind {
  if (health?.role === 'primary_master' || health?.role === 'secondary_master') return 'master';
  if (health?.role === 'coreapp') return 'coreapp';
  // Without health (not connected), Meta's compose service names tell.
  if (/^master/.test(node.service)) return 'master';
  if (/^wacore|^coreapp/.test(node.service)) return 'coreapp';
  if (/^waweb|^web/.test(node.service)) return 'webapp';
  if (/^db$|mysql|postgres/.test(node.service)) return 'db';
  return 'other';
}

function toneOf(node: ContainerNode, health: NodeHealth | undefined, conflict: boolean): Tone {
  if (conflict || node.state === 'exited' || node.state === 'dead' || health?.error) return 'error';
  if (node.state !== 'running') return 'warn';
  const status = health?.gatewayStatus;
  if (status === 'connected') return 'ok';
  if (status === 'unregistered' || status === 'uninitialized' || status === 'connecting') return 'warn';
  return 'idle';
}

/**
 * Rows from the top: the webapp and the database, the masters, then the coreapps wrapped to fit
 * `width`. Links: webapp → database, webapp → primary master (the API), primary master → each
 * coreapp that owns a shard.
 */
export function topologyLayout(nodes: readonly ContainerNode[], health: readonly NodeHealth[], shards: readonly NodeShards[], width = 720): TopologyLayout {
  const owned = anyShardOwned(shards);
  const conflicts = conflictingNodes(health, shards);
  const placed = nodes.map((node) => {
    const running = node.state === 'running';
    const h = running ? healthOfContainer(node, health) : undefined;
    const s = running ? healthOfContainer(node, shards) : undefined;
    const kind = kindOf(node, h);
    const subtitle = h?.error ? `${h.error.code} ${h.error.title}` : h?.gatewayStatus ? `${(h.role ?? '').replace('_master', '')} · ${h.gatewayStatus}`.replace(/^ · /, '') : node.state;
    return { node, kind, h, box: { id: node.id, kind, x: 0, y: 0, w: BOX.w, h: BOX.h, title: node.service, subtitle, badge: shardText(shardPart(h, s, owned)), tone: toneOf(node, h, conflicts.has(h?.key ?? s?.key ?? '')) } as TopologyBox };
  });
  const cols = Math.max(1, Math.floor((width - 2 * BOX.pad + BOX.gapX) / (BOX.w + BOX.gapX)));
  let y = BOX.pad;
  const rows: Array<typeof placed> = [
    placed.filter((p) => p.kind === 'webapp' || p.kind === 'db' || p.kind === 'other'),
    placed.filter((p) => p.kind === 'master'),
    placed.filter((p) => p.kind === 'coreapp'),
  ];
  let widest = 0;
  for (const row of rows) {
    if (row.length === 0) continue;
    for (let start = 0; start < row.length; start += cols) {
      const line = row.slice(start, start + cols);
      line.forEach((p, i) => { p.box.x = BOX.pad + i * (BOX.w + BOX.gapX); p.box.y = y; });
      widest = Math.max(widest, line.length);
      y += BOX.h + BOX.gapY;
    }
    y += BOX.gapY;
  }
  const links: TopologyLink[] = [];
  const webapp = placed.find((p) => p.kind === 'webapp');
  const db = placed.find((p) => p.kind === 'db');
  const primary = placed.find((p) => p.h?.role === 'primary_master');
  if (webapp && db) links.push({ from: webapp.node.id, to: db.node.id, kind: 'db' });
  if (webapp && primary) links.push({ from: webapp.node.id, to: primary.node.id, kind: 'api' });
  if (primary) for (const p of placed) if (p.kind === 'coreapp' && p.box.badge?.startsWith('shard')) links.push({ from: primary.node.id, to: p.node.id, kind: 'shard' });
  return { width: Math.max(width, 2 * BOX.pad + widest * (BOX.w + BOX.gapX) - BOX.gapX), height: y - BOX.gapY, boxes: placed.map((p) => p.box), links };
}
