// The emulated cluster, twice, each holding the machine-wide cluster ports lock:
//   A. the guide's 6 services, brought up with compose v1 (the guide's `docker-compose up -d …`):
//      up → healthy, registration, 2 shards, a standby, memory, /v1/health round trips, Start/Stop
//      Service and render in a VS Code window on compose v1, failovers at the test intervals and at
//      Meta's defaults;
//   B. 2 masters + 33 coreapps, brought up with compose v2: up → healthy, 32 shards, memory,
//      round trips, Start/Stop Service and render in a window on compose v2.
// Compose v1 and v2 re-create each other's containers (their config hashes differ), so each cluster
// is driven by one CLI only.
import { ComposeCluster } from '../emulator/test/support/compose-cluster';
import { WabaClient } from '../emulator/test/support/waba-client';
import {
  FailoverPhases, PASSWORD, connectedCoreapps, failover, healthRoundTrips, healthSummary, healthUntil, memoryByService, memoryMeasures,
  register, seconds, setIntervals, setShards, standbyCoreapps, upParts, upUntilHealthy,
} from './clusterSteps';
import { RENDER_VIEWS } from './figures';
import type { ExtensionHostLauncher } from './hostRuns';
import type { HostBenchResults, RenderSample } from './host/protocol';
import { Measure, Results, sampled, single } from './results';

const VERSION = '2.53.1';
const TEST_INTERVALS = { heartbeat: 1, unhealthy: 4 }; // as seed.test.ts
const META_DEFAULTS = { heartbeat: 5, unhealthy: 30 };
const GUIDE_SERVICES = ['db', 'waweb', 'master1', 'master2', 'wacore1', 'wacore2'];

export interface ClusterSizes { rttSamples: number; composeRounds: number; renderSamples: number }

interface GuideOutcome { shards2Ms: number; memory: Record<string, number>; render?: RenderSample[] }

export async function clusterFigures(results: Results, host: ExtensionHostLauncher | undefined, sizes: ClusterSizes): Promise<void> {
  const ports = await import('../scripts/lib/cluster-ports.mjs');
  await ports.holdClusterPorts('npm run bench');
  try {
    const guide = await guideCluster(results, host, sizes);
    await bigCluster(results, host, sizes, guide);
  } finally {
    ports.releaseClusterPorts();
  }
}

async function guideCluster(results: Results, host: ExtensionHostLauncher | undefined, sizes: ClusterSizes): Promise<GuideOutcome> {
  const cluster = await ComposeCluster.create('mysql', VERSION, 'benchguide', { compose: 'docker-compose' });
  const api = new WabaClient();
  const started = Date.now();
  try {
    const up = await upUntilHealthy(cluster, api, GUIDE_SERVICES, 4);
    results.record('cluster.up.6', {
      ours: single('every node in /v1/health', 's', seconds(up.allInHealth)), comparison: single('`docker-compose up -d` returned', 's', seconds(up.upReturned)),
      parts: upParts(up), note: 'compose v1, the guide\'s command; MySQL; a new cluster (empty volumes)',
    });
    await register(cluster, api, TEST_INTERVALS);
    const shards2Ms = await setShards(api, 2);
    await cluster.up(['wacore3']);
    await healthUntil(api, 'wacore3 standing by', (s) => s.wacore3 === 'coreapp/disconnected');
    const memory = await memoryByService(cluster.folder.project);
    await roundTrips(results, 'health.rtt.6', api.token!, sizes.rttSamples);

    let render: RenderSample[] | undefined;
    if (host) {
      const answer = await host.run({
        name: 'compose v1 + render (6 nodes)', folder: cluster.folder.dir, settings: { 'wabaCluster.composeCommand': 'docker-compose' },
        options: {
          scenarios: ['compose', 'render'],
          compose: { cli: 'docker-compose', service: 'wacore3', rounds: sizes.composeRounds },
          render: { fingerprint: api.fingerprint!, username: 'admin', password: PASSWORD, service: 'wacore3', network: cluster.folder.network, samples: sizes.renderSamples },
        },
      });
      composeFigures(results, 'v1', answer);
      render = answer.render;
      await healthUntil(api, 'the standby back after the render runs', (s) => standbyCoreapps(s).length === 1 && connectedCoreapps(s).length === 2);
    }

    for (const [intervals, name] of [[TEST_INTERVALS, 'test'], [META_DEFAULTS, 'default']] as const) {
      if (name === 'default') {
        await setIntervals(api, intervals);
        await new Promise((r) => setTimeout(r, 2 * intervals.heartbeat * 1000)); // every node renews with the new spans
      }
      for (const role of ['coreapp', 'master'] as const) {
        const phases = await failover(cluster, api, role, intervals);
        results.record(`failover.${role}.${name}`, {
          ours: single('taken over in /v1/health', 's', seconds(phases.takenOver)), comparison: single('unhealthy_interval + heartbeat_interval', 's', seconds(phases.theory)),
          parts: failoverParts(phases, role), note: `heartbeat ${intervals.heartbeat} s, unhealthy ${intervals.unhealthy} s; health polled every 100 ms`,
        });
      }
    }
    return { shards2Ms, memory, render };
  } finally {
    await cluster.destroy();
    console.log(`[bench] the 6-node cluster lived ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
}

async function bigCluster(results: Results, host: ExtensionHostLauncher | undefined, sizes: ClusterSizes, guide: GuideOutcome): Promise<void> {
  const cluster = await ComposeCluster.create('mysql', VERSION, 'benchbig', { coreapps: 33, compose: 'docker compose' });
  const api = new WabaClient();
  const started = Date.now();
  try {
    const up = await upUntilHealthy(cluster, api, [], 35);
    results.record('cluster.up.35', {
      ours: single('every node in /v1/health', 's', seconds(up.allInHealth)), comparison: single('`docker compose up -d` returned', 's', seconds(up.upReturned)),
      parts: upParts(up), note: 'compose v2; MySQL; 37 containers (db, webapp, 2 masters, 33 coreapps)',
    });
    await register(cluster, api, TEST_INTERVALS);
    const shards32Ms = await setShards(api, 32);
    results.record('cluster.shards.32', {
      ours: single('32 shards connected', 's', seconds(shards32Ms)), comparison: single('2 shards connected (6-node cluster)', 's', seconds(guide.shards2Ms)),
      note: `heartbeat ${TEST_INTERVALS.heartbeat} s, unhealthy ${TEST_INTERVALS.unhealthy} s on both`,
    });
    const memory = memoryMeasures(await memoryByService(cluster.folder.project), '35 nodes');
    const small = memoryMeasures(guide.memory, '6 nodes');
    results.record('cluster.memory.35', {
      ours: memory.coreapps, comparison: small.coreapps,
      parts: { masters35: memory.masters, masters6: small.masters, webapp35: memory.webapp, webapp6: small.webapp, db35: memory.db, db6: small.db },
      note: '`docker stats` memory usage of each container, right after the shards connected',
    });
    await roundTrips(results, 'health.rtt.35', api.token!, sizes.rttSamples);

    if (host) {
      const standby = standbyCoreapps(await healthSummary(api))[0];
      const answer = await host.run({
        name: 'compose v2 + render (35 nodes)', folder: cluster.folder.dir, settings: { 'wabaCluster.composeCommand': 'docker compose' },
        options: {
          scenarios: ['compose', 'render'],
          compose: { cli: 'docker compose', service: standby, rounds: sizes.composeRounds },
          render: { fingerprint: api.fingerprint!, username: 'admin', password: PASSWORD, service: standby, network: cluster.folder.network, samples: sizes.renderSamples },
        },
      });
      composeFigures(results, 'v2', answer);
      renderFigures(results, answer.render, guide.render, answer.errors.render);
    }
  } finally {
    await cluster.destroy();
    console.log(`[bench] the 35-node cluster lived ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
}

async function roundTrips(results: Results, id: string, token: string, samples: number): Promise<void> {
  const rtt = await healthRoundTrips(token, samples);
  results.record(id, {
    ours: sampled('pinned client (connection kept)', 'ms', rtt.pinned), comparison: sampled('`curl -k` (a new process)', 'ms', rtt.curl),
    parts: { pinnedFresh: sampled('pinned client, new connection each call', 'ms', rtt.pinnedFresh), curlOwn: sampled('`curl -k`, its own time_total', 'ms', rtt.curlOwn) },
  });
}

function failoverParts(p: FailoverPhases, role: 'coreapp' | 'master'): Record<string, Measure> {
  const parts: Record<string, Measure> = {};
  if (p.unreachable !== undefined) parts.unreachable = single('the webapp reports it unreachable (1014)', 's', seconds(p.unreachable));
  if (p.logLine !== undefined) parts.logLine = single(role === 'master' ? 'the other master logs taking the lease' : 'the primary master logs moving the shard', 's', seconds(p.logLine));
  return parts;
}

function composeFigures(results: Results, v: 'v1' | 'v2', answer: HostBenchResults): void {
  const c = answer.compose;
  if (!c) {
    for (const verb of ['start', 'stop']) results.notRun(`compose.${verb}.${v}`, `the extension host failed: ${answer.errors.compose?.split('\n')[0]}`);
    return;
  }
  const cli = v === 'v1' ? 'docker-compose' : 'docker compose';
  results.record(`compose.start.${v}`, { ours: sampled('Start Service', 'ms', c.ext.start), comparison: sampled(`\`${cli} up -d <service>\``, 'ms', c.raw.start) });
  results.record(`compose.stop.${v}`, { ours: sampled('Stop Service', 'ms', c.ext.stop), comparison: sampled(`\`${cli} stop <service>\``, 'ms', c.raw.stop) });
}

function renderFigures(results: Results, big: RenderSample[] | undefined, small: RenderSample[] | undefined, error: string | undefined): void {
  if (!big || !small) {
    for (const id of ['render.tree.35', ...RENDER_VIEWS.map((v) => `render.${v}.35`)]) results.notRun(id, `no samples (${error?.split('\n')[0] ?? 'the 6-node window gave none'})`);
    return;
  }
  const of = (samples: RenderSample[], pick: (s: RenderSample) => number | undefined) => samples.map(pick).filter((v): v is number => v !== undefined);
  results.record('render.tree.35', {
    ours: sampled('35 nodes', 'ms', of(big, (s) => s.treeChangedMs)), comparison: sampled('6 nodes', 'ms', of(small, (s) => s.treeChangedMs)),
    parts: { served35: sampled('35 nodes: VS Code fetched the rows', 'ms', of(big, (s) => s.treeServedMs)), served6: sampled('6 nodes: VS Code fetched the rows', 'ms', of(small, (s) => s.treeServedMs)) },
    note: 'from the health poll\'s answer being published; a standby coreapp cut off its network and put back',
  });
  for (const view of RENDER_VIEWS) {
    results.record(`render.${view}.35`, {
      ours: sampled('35 nodes', 'ms', of(big, (s) => s.views[view]?.ackMs)), comparison: sampled('6 nodes', 'ms', of(small, (s) => s.views[view]?.ackMs)),
      parts: { own35: sampled('35 nodes: the webview\'s own work', 'ms', of(big, (s) => s.views[view]?.ownMs)), own6: sampled('6 nodes: the webview\'s own work', 'ms', of(small, (s) => s.views[view]?.ownMs)) },
      note: 'from the health poll\'s answer being published to the webview acknowledging the new state (DOM built and laid out)',
    });
  }
}
