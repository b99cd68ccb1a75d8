import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHealth, parseShardOwnership } from '../../src/cluster/clusterHealth';
import type { HealthBody, SupportNode } from '../../src/contract';
import type { EngineEventListener } from '../../src/docker/eventHub';
import { FailoverDrill, drillCandidates, type DrillCandidate, type DrillPorts, type DrillPrompter } from '../../src/workflows/failoverDrill';
import { chartLayout, compareWithSettings } from '../../src/workflows/drillTimeline';
import { ClusterHistory, changesBetween, lookAt } from '../../src/topology/changes';

const ids: Record<string, string> = { master1: 'a1a1a1a1a1a1', master2: 'a2a2a2a2a2a2', wacore1: 'c1c1c1c1c1c1', wacore2: 'c2c2c2c2c2c2', wacore3: 'c3c3c3c3c3c3' };
const containers = Object.entries(ids).map(([service, id]) => ({ id: id.padEnd(64, '0'), service, name: `biz_${service}_1`, state: 'running' }));

type NodeState = { status?: string; role: string; error?: number; shards?: Array<[number, number]> };
function cluster(nodes: Record<string, NodeState>): { health: ReturnType<typeof parseHealth>; shards: ReturnType<typeof parseShardOwnership> } {
  const health: HealthBody = { health: {} };
  const support: SupportNode[] = [];
  for (const [name, n] of Object.entries(nodes)) {
    const key = `${name}:${ids[name]}`;
    (health.health as Record<string, unknown>)[key] = n.error ? { errors: [{ code: n.error, title: 'Internal error' }] } : { gateway_status: n.status, role: n.role };
    support.push({ key, body: n.error ? { errors: [{ code: n.error, title: 'Internal error' }] } : { role: n.role as 'coreapp', shards: n.shards ?? [] } });
  }
  return { health: parseHealth(health), shards: parseShardOwnership(support) };
}

const before = {
  master1: { status: 'connected', role: 'primary_master', shards: [[-1, -1]] as Array<[number, number]> },
  master2: { status: 'disconnected', role: 'secondary_master' },
  wacore1: { status: 'connected', role: 'coreapp', shards: [[0, 0]] as Array<[number, number]> },
  wacore2: { status: 'connected', role: 'coreapp', shards: [[1, 1]] as Array<[number, number]> },
  wacore3: { status: 'disconnected', role: 'coreapp' },
};

/** What the cluster shows `ms` after wacore1 was killed (heartbeat 1 s, unhealthy 3 s). */
function afterKill(ms: number) {
  if (ms < 0) return cluster(before);
  const wacore1 = { role: 'coreapp', error: 1014 };
  if (ms < 4600) return cluster({ ...before, wacore1 });
  if (ms < 4800) return cluster({ ...before, wacore1, wacore3: { status: 'connecting', role: 'coreapp', shards: [[0, 0]] } });
  return cluster({ ...before, wacore1, wacore3: { status: 'connected', role: 'coreapp', shards: [[0, 0]] } });
}

function fakePorts(messagesFailBetween?: [number, number]) {
  let now = 1_000_000;
  let killedAt: number | undefined;
  let listener: EngineEventListener | undefined;
  const saved = new Map<string, string>();
  const calls: string[] = [];
  const ports: DrillPorts = {
    look: async () => afterKill(killedAt === undefined ? -1 : now - killedAt),
    settings: async () => ({ heartbeat: 1, unhealthy: 3 }),
    containers: async () => containers,
    kill: async (id) => {
      calls.push(`kill ${id.slice(0, 12)}`);
      killedAt = now;
      now += 20;
      listener?.event?.({ action: 'kill', id, service: 'wacore1' });
      listener?.event?.({ action: 'die', id, service: 'wacore1' });
    },
    start: async (id) => { calls.push(`start ${id.slice(0, 12)}`); },
    events: { subscribe: (l) => { listener = l; return { dispose: () => { listener = undefined; } }; } },
    sendMessage: async () => {
      const ms = killedAt === undefined ? -1 : now - killedAt;
      if (messagesFailBetween && ms >= messagesFailBetween[0] && ms < messagesFailBetween[1]) throw new Error('1014 Internal error');
    },
    save: (name, text) => { saved.set(name, text); return `/home/ana/biz/${name}`; },
    clock: { now: () => now, sleep: async (ms) => { now += Math.max(ms, 1); } },
  };
  /** The engine's event stream breaks `ms` after the kill (the engine stops or restarts). */
  const loseEngineAt = (ms: number): void => {
    const sleep = ports.clock.sleep;
    ports.clock.sleep = async (d) => {
      await sleep(d);
      if (killedAt !== undefined && now - killedAt >= ms) listener?.lost?.(new Error('socket hang up'));
    };
  };
  return { ports, saved, calls, loseEngineAt };
}

const prompter = (pick: (c: readonly DrillCandidate[]) => DrillCandidate | undefined, restart = true, messages = false): DrillPrompter & { asked: string[] } => {
  const asked: string[] = [];
  return {
    asked,
    pickTarget: async (c) => pick(c),
    confirmKill: async (_target, detail) => { asked.push(detail); return { messages }; },
    offerRestart: async () => restart,
  };
};

describe('the failover drill', () => {
  it('offers the connected coreapps that own shards and the primary master', () => {
    const { health, shards } = afterKill(-1);
    const c = drillCandidates(health, shards, containers);
    assert.deepEqual(c.map((x) => [x.node, x.role, x.description]), [
      ['master1', 'primary_master', 'primary master · control shard'],
      ['wacore1', 'coreapp', 'coreapp · shards 0'],
      ['wacore2', 'coreapp', 'coreapp · shards 1'],
    ]);
  });

  it('kills a connected coreapp after asking, and times seen gone → reassigned → standby connected', async () => {
    const { ports, saved, calls } = fakePorts([0, 4600]);
    const p = prompter((c) => c.find((x) => x.node === 'wacore1'), true, true);
    const steps: string[] = [];
    const result = (await new FailoverDrill(ports).run(p, { step: (m) => steps.push(m) }))!;
    assert.match(p.asked[0], /wacore1 \(coreapp · shards 0\) is killed with SIGKILL.*heartbeat 1 s and unhealthy 3 s.*within about 5 s; 1 candidate\(s\) now: wacore3/);
    assert.deepEqual(calls, [`kill ${ids.wacore1}`, `start ${ids.wacore1}`]);
    assert.deepEqual(result.phases.map((x) => [x.name, x.label, x.node]), [
      ['seenGone', 'wacore1 seen gone', 'wacore1'],
      ['reassigned', 'shard 0 → wacore3', 'wacore3'],
      ['takeoverConnected', 'wacore3 connected', 'wacore3'],
    ]);
    const [gone, moved, connected] = result.phases.map((x) => x.t);
    assert.ok(gone <= 200, `seen gone at ${gone} ms (Docker's die event)`);
    assert.ok(moved >= 4600 && moved <= 4800, `reassigned at ${moved} ms`);
    assert.ok(connected >= 4800 && connected <= 5000, `connected at ${connected} ms`);
    assert.equal(result.comparison.withinBound, true);
    assert.match(result.comparison.text, /^4\.\d s = unhealthy 3 s \+ 1\.\d s \(heartbeat 1 s; the bound unhealthy \+ 2 heartbeats is 5 s\)$/);
    assert.ok(result.messages.sent > 10 && result.messages.failed > 0 && result.messages.failed < result.messages.sent, JSON.stringify(result.messages));
    assert.ok(result.messages.failures.every((f) => f.t >= 0 && f.t < 4600), 'messages failed only in the failure window');
    assert.equal(result.restarted, true);
    const md = saved.get(result.files.markdown.split('/').pop()!)!;
    assert.match(md, /^# Failover drill: wacore1\n/);
    assert.match(md, /\| shard 0 → wacore3 \| 4\.\d s \|/);
    assert.match(md, /Messages: \d+ sent, \d+ failed between 0\.\d s and 4\.\d s \(the failure window\)\./);
    const json = JSON.parse(saved.get(result.files.json.split('/').pop()!)!);
    assert.equal(json.target.node, 'wacore1');
    assert.ok(steps.some((s) => /wacore3 took over after/.test(s)));
  });

  it('does nothing when the user declines the kill', async () => {
    const { ports, calls } = fakePorts();
    const p: DrillPrompter = { pickTarget: async (c) => c[1], confirmKill: async () => undefined, offerRestart: async () => true };
    assert.equal(await new FailoverDrill(ports).run(p, { step: () => undefined }), undefined);
    assert.deepEqual(calls, []);
  });

  it('gives up after the settings\' bound plus grace, saying no takeover was seen', async () => {
    const { ports } = fakePorts();
    ports.look = async () => cluster({ ...before, wacore1: { role: 'coreapp', error: 1014 } });
    const result = (await new FailoverDrill(ports, { graceMs: 2000 }).run(prompter((c) => c[1], false), { step: () => undefined }))!;
    assert.equal(result.complete, false);
    assert.equal(result.restarted, false);
    assert.match(result.comparison.text, /No takeover was seen/);
  });

  it('stops when the Docker engine goes away mid-drill, saying where; the report so far is saved; nothing restarted; a new drill runs', async () => {
    const { ports, saved, calls, loseEngineAt } = fakePorts();
    loseEngineAt(2000);
    let offered = false;
    const p: DrillPrompter = { ...prompter((c) => c.find((x) => x.node === 'wacore1')), offerRestart: async () => { offered = true; return true; } };
    const failure = await new FailoverDrill(ports).run(p, { step: () => undefined }).then(() => undefined, (e: Error) => e);
    assert.match(failure?.message ?? '', /^The drill on wacore1 stopped 2\.\d s after the kill, after "wacore1 seen gone" \(0\.\d s\): the Docker engine stopped or restarted\. The report so far: \/home\/ana\/biz\/failover-drill-.*\.md\. Once Docker answers, start the nodes that stopped \(Start Cluster\), then run the drill again\.$/);
    assert.equal(offered, false, 'no restart offered while the engine is away');
    assert.deepEqual(calls, [`kill ${ids.wacore1}`]);
    const md = [...saved.values()].find((text) => text.startsWith('# '))!;
    assert.match(md, /- Outcome: stopped 2\.\d s after the kill: the Docker engine stopped answering/);
    assert.match(md, /\| 2\.\d s \| the Docker engine stopped answering \|/);

    // Once the engine answers again, the next drill runs to the end.
    const again = fakePorts();
    assert.equal((await new FailoverDrill(again.ports).run(prompter((c) => c.find((x) => x.node === 'wacore1')), { step: () => undefined }))?.complete, true);
  });
});

describe('the timeline and the history', () => {
  it('compares the reassignment with the settings: "4.6 s = unhealthy 3 s + 1.6 s"', () => {
    assert.match(compareWithSettings(4600, 1, 3).text, /^4\.6 s = unhealthy 3 s \+ 1\.6 s/);
    assert.equal(compareWithSettings(7200, 1, 3).withinBound, false);
  });

  it('lays out one lane per node with a bar per run of equal status', () => {
    const looks = [-1, 0, 200, 4600, 4800, 6000].map((t) => ({ t, look: lookAt(afterKill(t).health, afterKill(t).shards) }));
    const chart = chartLayout({ target: { node: 'wacore1', role: 'coreapp', shards: [0] }, startedAt: 0, looks, marks: [{ t: 0, kind: 'kill', text: 'kill' }], phases: [] });
    assert.deepEqual(chart.lanes.map((l) => l.node), ['master1', 'master2', 'wacore1', 'wacore2', 'wacore3']);
    assert.deepEqual(chart.lanes[2].bars.map((b) => [b.from, b.status]), [[-1, 'connected'], [0, '1014']]);
    assert.deepEqual(chart.lanes[4].bars.map((b) => [b.from, b.to, b.status]), [[-1, 4600, 'disconnected'], [4600, 4800, 'connecting'], [4800, 6000, 'connected']]);
    assert.deepEqual(chart.ticks, [0, 1000, 2000, 3000, 4000, 5000, 6000]);
  });

  it('records role, status and shard changes since the first look', () => {
    const history = new ClusterHistory(3);
    assert.deepEqual(history.record(lookAt(afterKill(-1).health, afterKill(-1).shards), new Date(0)), []);
    const changes = history.record(lookAt(afterKill(5000).health, afterKill(5000).shards), new Date(5000)).map((c) => c.text);
    assert.deepEqual(changes, ['wacore1: connected → 1014', 'wacore3: disconnected → connected', 'shard 0: wacore1 → wacore3']);
    history.record(lookAt(afterKill(-1).health, afterKill(-1).shards), new Date(9000));
    assert.equal(history.entries.length, 3, 'bounded: the oldest go first');
    assert.equal(history.entries.at(-1)!.change.text, 'shard 0: wacore3 → wacore1');
  });

  it('reads several shards moving together as one line', () => {
    const a = { nodes: [], owners: { 0: ['wacore1'], 1: ['wacore1'], 2: ['wacore1'] }, control: ['master1'] };
    const b = { nodes: [], owners: { 0: ['wacore5'], 1: ['wacore5'], 2: ['wacore5'] }, control: ['master2'] };
    assert.deepEqual(changesBetween(a, b).map((c) => c.text), ['control shard → master2', 'shards 0–2: wacore1 → wacore5']);
  });
});
