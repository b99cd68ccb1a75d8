// Every figure `npm run bench` records: what it measures, what it is compared with, and its goal
// (issue #11). results.json must hold each of them (measured, or `notRun` with the reason); the
// speed table of docs/speed.md is generated from this list and results.json (bench/readme.ts).
import type { FigureResult } from './resultTypes';

export interface FigureSpec {
  id: string;
  section: string;
  /** What a user waits for (ours), in the speed table's words. */
  title: string;
  goal?: { text: string; met(r: FigureResult): boolean | undefined };
  /** Measured in smoke mode too (npm test's bench step). */
  smoke?: boolean;
}

/**
 * Webviews whose render after a health change is measured; each reports `rendered` with its view
 * name (src/webview/app/rpc.ts). A new view adds one entry here.
 */
export const RENDER_VIEWS = ['panel'] as const;

const atMost = (limit: number, pick: (r: FigureResult) => number | undefined) => (r: FigureResult) => {
  const v = pick(r);
  return v === undefined || !Number.isFinite(v) ? undefined : v <= limit;
};
const ratioAtMost = (limit: number) => atMost(limit, (r) => r.ratio.p50);

const TREE_GOAL = {
  text: '≤ 1.2× raw `docker events` (p50) and ≤ 100 ms p95',
  met: (r: FigureResult) => (r.ratio.p50 === undefined || r.ours.p95 === undefined ? undefined : r.ratio.p50 <= 1.2 && r.ours.p95 <= 100),
};

/** Issue #8: a 35-node cluster stays responsive. */
const RENDER_GOAL = { text: '≤ 100 ms (p95)', met: atMost(100, (r) => r.ours.p95 ?? r.ours.p50) };

export const FIGURES: FigureSpec[] = [
  { id: 'activation.host', section: 'Activation', title: 'Activation in the VS Code extension host (`Extension.activate()` once the code is loaded: `activate()` and what VS Code does around it), vs an empty extension activated by the same event (each alone in its window, alternating)', goal: { text: '`activate()` < 50 ms (p95)', met: atMost(50, (r) => r.parts?.activate?.p95) } },
  { id: 'activation.load', section: 'Activation', title: 'Loading `dist/extension.js` in the extension host (`require`), vs loading the empty extension\'s main file' },
  { id: 'engine.list', section: 'Docker', title: "Listing the project's containers through the Engine API, vs `docker ps -a --filter label=…`", smoke: true },
  { id: 'engine.event', section: 'Docker', title: 'A container event arriving through the extension\'s event hub, vs a raw `docker events` stream (from the engine\'s event time)', smoke: true },
  { id: 'engine.logLine', section: 'Docker', title: 'A log line arriving through the extension\'s log tail, vs `docker logs -f` (from the line\'s Docker timestamp)', smoke: true },
  { id: 'tree.changed', section: 'Tree', title: 'Container start/stop/kill → its Cluster Nodes row changed (extension host), vs the same event arriving on a raw `docker events` stream started beside it; from the engine\'s event time', goal: TREE_GOAL },
  { id: 'tree.served', section: 'Tree', title: 'Container start/stop/kill → VS Code fetched the changed rows (the view repaints), vs raw `docker events`', goal: TREE_GOAL },
  { id: 'logTail.rate', section: 'Log tail', title: 'Lines/s delivered into the output channel (Tail Logs), vs `docker logs -f` on the same container', goal: { text: '≥ 1.0× `docker logs -f`', met: (r) => (r.ratio.p50 === undefined ? undefined : r.ratio.p50 >= 1.0) } },
  { id: 'logTail.memory', section: 'Log tail', title: 'Extension host heap after the burst (after GC), vs before it', goal: { text: 'flat (≤ 1.1× before)', met: ratioAtMost(1.1) } },
  { id: 'logTail.lost', section: 'Log tail', title: 'Lines lost + duplicated in the output channel, vs in `docker logs -f`', goal: { text: '0', met: (r) => r.ours.p50 === 0 } },
  ...(['v1', 'v2'] as const).flatMap((v) => [
    { id: `compose.start.${v}`, section: 'Compose', title: `Start Service through the extension (compose ${v}), vs the raw \`up -d <service>\``, goal: { text: '≤ 1.1×', met: ratioAtMost(1.1) } },
    { id: `compose.stop.${v}`, section: 'Compose', title: `Stop Service through the extension (compose ${v}), vs the raw \`stop <service>\``, goal: { text: '≤ 1.1×', met: ratioAtMost(1.1) } },
  ]),
  { id: 'health.rtt.6', section: 'Health', title: '`GET /v1/health` through the pinned-certificate client, 6 nodes, vs `curl -k`' },
  { id: 'health.rtt.35', section: 'Health', title: '`GET /v1/health` through the pinned-certificate client, 35 nodes, vs `curl -k`' },
  { id: 'cluster.up.6', section: 'Cluster', title: '`up -d` of the guide\'s 6 services → every node in `/v1/health`, vs `up -d` returning', goal: { text: '≤ 8 s', met: atMost(8, (r) => r.ours.p50) } },
  { id: 'cluster.up.35', section: 'Cluster', title: '`up -d` of 2 masters + 33 coreapps → every node in `/v1/health`, vs `up -d` returning', goal: { text: '≤ 20 s', met: atMost(20, (r) => r.ours.p50) } },
  { id: 'cluster.shards.32', section: 'Cluster', title: 'shards = 32 → 32 coreapps and the primary master connected, vs shards = 2 on the 6-node cluster' },
  { id: 'cluster.memory.35', section: 'Cluster', title: 'Memory per coreapp, 35 nodes, vs 6 nodes' },
  ...(['test', 'default'] as const).flatMap((intervals) => (['coreapp', 'master'] as const).map((role) => ({
    id: `failover.${role}.${intervals}`, section: 'Failover',
    title: `${role === 'coreapp' ? 'Connected coreapp' : 'Primary master'} killed → its role taken over in \`/v1/health\` (${intervals === 'test' ? 'test intervals' : "Meta's defaults"}), vs \`unhealthy_interval\` + \`heartbeat_interval\``,
    goal: { text: '≤ 1.0× (unhealthy_interval + 1 heartbeat)', met: ratioAtMost(1.0) },
  }))),
  { id: 'layout.topology.35', section: 'Render', title: 'Laying out the topology diagram (plain Node), 35 nodes, vs 6 nodes', goal: { text: '< 10 ms (p95)', met: (r) => (r.ours.p95 === undefined ? undefined : r.ours.p95 < 10) }, smoke: true },
  { id: 'render.tree.35', section: 'Render', title: 'Health change → Cluster Nodes rows changed, 35 nodes, vs 6 nodes', goal: RENDER_GOAL },
  ...RENDER_VIEWS.map((view) => ({ id: `render.${view}.35`, section: 'Render', title: `Health change → the ${view} rendered (webview acknowledged), 35 nodes, vs 6 nodes`, goal: RENDER_GOAL })),
];

export function figureSpec(id: string): FigureSpec {
  const spec = FIGURES.find((f) => f.id === id);
  if (!spec) throw new Error(`bench: no figure "${id}" in bench/figures.ts`);
  return spec;
}
