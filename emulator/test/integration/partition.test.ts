// No split brain (issue #13) and node identity (#7.5), on Meta's compose files with MySQL and with
// PostgreSQL, one cluster per database: a connected coreapp and then the primary master are cut off
// the cluster network (`docker network disconnect`) for longer than unhealthy_interval while
// /v1/health and /v1/support are sampled every 200 ms and messages keep being sent; neither moment
// may show two primaries or two owners of a shard, and every accepted message is in exactly one
// coreapp's log. Then `--scale wacore3=3` gets its duplicates refused, loudly.
//   node --import tsx --test --test-concurrency=1 emulator/test/integration/partition.test.ts
import { before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { ClusterWatch } from '../support/cluster-watch';
import { ComposeCluster, exec, waitForPublishedPortsFree } from '../support/compose-cluster';
import { expectMulticonnect, healthSummary, primaryMasterOf } from '../support/health';
import { MessageStream, recipientsPerShard, sentMessages } from '../support/messages';
import { registerCluster, type Account } from '../support/registered-cluster';
import { WabaClient, waitFor } from '../support/waba-client';

const VERSION = '2.53.1';
const SHARDS = 2;
const COREAPPS = ['wacore1', 'wacore2', 'wacore3'];
const ACCOUNT: Account = { cc: '1', phone: '6315557000', vname: 'Partition Test Co', password: 'Partition-Pass-2026!', shards: SHARDS, heartbeatS: 1, unhealthyS: 3 };
/** How long each node stays cut off: well beyond unhealthy_interval (3 s) and the master lease (4 s). */
const PARTITION_MS = 9000;
/** Sampling goes on this long after the cluster has settled again. */
const AFTER_HEAL_MS = 3000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => (ms / 1000).toFixed(1);

interface Ctx {
  db: 'mysql' | 'postgres';
  cluster: ComposeCluster;
  api: WabaClient;
}

/** service -> JSON of the shards /v1/support says it owns (nodes that answer with errors are left out). */
async function shardsByService(api: WabaClient): Promise<Record<string, string>> {
  const res = await api.call('GET', '/v1/support');
  if (res.status !== 200) throw new Error(`support answered ${res.status}`);
  return Object.fromEntries(Object.entries(res.body.support as Record<string, any>)
    .filter(([, node]) => Array.isArray(node.shards)).map(([key, node]) => [key.split(':')[0], JSON.stringify(node.shards)]));
}

/** The ISO time of the last log line matching re (ms), or undefined. */
function lastLineAt(log: string, re: RegExp): number | undefined {
  const lines = log.split('\n').filter((l) => re.test(l));
  return lines.length ? Date.parse(lines[lines.length - 1].split(' ')[0]) : undefined;
}

/**
 * Cuts `service` off the cluster network for PARTITION_MS while /v1/health and /v1/support are sampled
 * (and `alongside` runs), waits until `takenOver` sees its role moved, heals, waits until `settled`,
 * samples AFTER_HEAL_MS more; then no sample may show two primaries or two owners of a shard.
 */
async function partition(ctx: Ctx, service: string, takenOver: () => Promise<unknown>, settled: () => Promise<unknown>, alongside?: MessageStream): Promise<void> {
  const watch = new ClusterWatch(ctx.api, SHARDS);
  watch.start();
  alongside?.start();
  const cutAt = Date.now() + 1000;
  let healAt = Infinity;
  try {
    await sleep(cutAt - Date.now());
    await ctx.cluster.disconnect(service);
    console.log(`  ${ctx.db}: ${service} disconnected ${new Date(cutAt).toISOString()} .. ${new Date().toISOString()}`);
    await waitFor(`the role of ${service} taken over`, 30_000, takenOver);
    console.log(`  ${ctx.db}: ${service} cut off; its role taken over after ${seconds(Date.now() - cutAt)} s`);
    await sleep(cutAt + PARTITION_MS - Date.now());
    healAt = Date.now();
    await ctx.cluster.reconnect(service);
    console.log(`  ${ctx.db}: ${service} reconnected ${new Date(healAt).toISOString()} .. ${new Date().toISOString()}`);
    await waitFor(`${service} back in a healthy cluster`, 60_000, settled);
    console.log(`  ${ctx.db}: settled ${seconds(Date.now() - healAt)} s after healing ${service}`);
    await sleep(AFTER_HEAL_MS);
  } finally {
    await alongside?.stop();
    await watch.stop();
  }
  assert.deepEqual(watch.violations, [], 'no sample may show two primaries or two owners of a shard');
  const during = watch.answered(cutAt, healAt).length;
  const after = watch.answered(healAt).length;
  console.log(`  ${ctx.db}: ${watch.samples.length} samples (${during} answered while cut off, ${after} after healing), no violation`);
  assert.ok(during >= 20 && after >= 10, `too few samples: ${during} during, ${after} after`);
}

async function coreappPartition(ctx: Ctx): Promise<void> {
  const { cluster, api, db } = ctx;
  const owned = await shardsByService(api);
  const victim = COREAPPS.find((c) => owned[c] === '[[1,1]]') as string;
  const standby = COREAPPS.find((c) => owned[c] === '[]') as string;
  assert.ok(victim && standby, JSON.stringify(owned));
  const primary = primaryMasterOf(await healthSummary(api, VERSION));
  const messages = new MessageStream(api, recipientsPerShard(SHARDS));
  await partition(ctx, victim,
    async () => ((await shardsByService(api))[standby] === '[[1,1]]' ? true : undefined),
    async () => {
      const s = expectMulticonnect(await healthSummary(api, VERSION), COREAPPS, SHARDS);
      if (s[victim] !== 'coreapp/disconnected') throw new Error(`${victim} should be a standby now: ${JSON.stringify(s)}`);
      return s;
    },
    messages);

  // Fencing order, by the containers' own log lines (one host clock): the cut-off coreapp stopped
  // serving before the primary master moved its shard.
  const victimLog = await cluster.logs(victim);
  const fencedAt = lastLineAt(victimLog, /gateway_status disconnected.*no database heartbeat/);
  const movedAt = lastLineAt(await cluster.logs(primary), new RegExp(`failover: shard 1 moved from ${victim}:`));
  assert.ok(fencedAt && movedAt, `log lines missing: fenced ${fencedAt}, moved ${movedAt}`);
  console.log(`  ${db}: ${victim} stopped serving ${seconds(movedAt - fencedAt)} s before ${primary} moved its shard`);
  assert.ok(fencedAt < movedAt, 'the cut-off coreapp must stop serving before its shard moves');

  // Messages: each accepted id is in exactly one coreapp's log; the rest failed with a documented error.
  const logs = Object.fromEntries(await Promise.all(COREAPPS.map(async (c) => [c, sentMessages(await cluster.logs(c))] as const)));
  const accepted = messages.results.filter((r) => r.status === 201);
  for (const r of accepted) {
    const holders = COREAPPS.filter((c) => logs[c].has(r.id as string));
    assert.equal(holders.length, 1, `message ${r.id} (shard ${r.shard}) is in the logs of ${holders.join(', ') || 'no coreapp'}`);
    assert.equal(logs[holders[0]].get(r.id as string)?.shard, r.shard);
  }
  const lateOnVictim = [...logs[victim].values()].filter((m) => m.atMs >= (fencedAt as number));
  assert.deepEqual(lateOnVictim, [], `${victim} accepted messages after it stopped serving`);
  const failed = messages.results.filter((r) => r.status !== 201);
  for (const r of failed) assert.ok([1011, 1014, 1018].includes(r.code as number) && r.status >= 500, `unexpected failure ${JSON.stringify(r)}`);
  const afterFailover = accepted.filter((r) => r.shard === 1 && r.atMs > movedAt);
  assert.ok(afterFailover.length > 0 && afterFailover.every((r) => logs[standby].has(r.id as string)), `${standby} serves shard 1 after the failover`);
  const examples = [...new Map(failed.map((r) => [r.code, `${r.code} ${r.details}`])).values()];
  console.log(`  ${db}: ${messages.results.length} messages, ${accepted.length} accepted (each in one log), ${failed.length} failed during the handover: ${examples.join(' | ') || '-'}`);
}

async function masterPartition(ctx: Ctx): Promise<void> {
  const { cluster, api, db } = ctx;
  const primary = primaryMasterOf(await healthSummary(api, VERSION));
  const other = primary === 'master1' ? 'master2' : 'master1';
  await partition(ctx, primary,
    async () => ((await healthSummary(api, VERSION))[other] === 'primary_master/connected' ? true : undefined),
    async () => {
      const s = expectMulticonnect(await healthSummary(api, VERSION), COREAPPS, SHARDS);
      if (s[primary] !== 'secondary_master/disconnected') throw new Error(`${primary} should rejoin as secondary: ${JSON.stringify(s)}`);
      return s;
    });

  const oldLog = await cluster.logs(primary);
  const steppedDownAt = lastLineAt(oldLog, /role changed: primary_master -> secondary_master \(lost contact with the database/);
  const tookOverAt = lastLineAt(await cluster.logs(other), /role changed: secondary_master -> primary_master/);
  assert.ok(steppedDownAt && tookOverAt, `log lines missing: stepped down ${steppedDownAt}, took over ${tookOverAt}`);
  console.log(`  ${db}: ${primary} stepped down ${seconds(tookOverAt - steppedDownAt)} s before ${other} became primary`);
  assert.ok(steppedDownAt < tookOverAt, 'the cut-off primary must step down before the other master takes over');
  const againPrimary = oldLog.split('\n').filter((l) => /-> primary_master/.test(l) && Date.parse(l.split(' ')[0]) > steppedDownAt);
  assert.deepEqual(againPrimary, [], `${primary} must not call itself primary again`);
}

/** Reads the cluster secret the nodes share, through the published database port. */
async function clusterSecret(db: 'mysql' | 'postgres'): Promise<string> {
  const sql = 'SELECT value FROM secrets WHERE name = \'cluster_api\'';
  if (db === 'mysql') {
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: 33060, user: 'root', password: 'testpass', database: 'waent' });
    try {
      return ((await conn.query(sql))[0] as { value: string }[])[0].value;
    } finally {
      await conn.end();
    }
  }
  const client = new pg.Client({ host: '127.0.0.1', port: 33060, user: 'root', password: 'testpass', database: 'waent' });
  await client.connect();
  try {
    return (await client.query(sql)).rows[0].value;
  } finally {
    await client.end();
  }
}

async function nodePortRequiresSecret(ctx: Ctx): Promise<void> {
  // Meta's compose publishes 6250-6253 on the host (our override keeps them on 127.0.0.1).
  const published = (await exec('docker', ['port', await ctx.cluster.containerId('wacore1'), '6253/tcp'])).trim().split('\n')[0];
  const url = `http://${published}/health`;
  const without = await fetch(url);
  assert.equal(without.status, 401);
  assert.equal((await without.json()).errors[0].code, 1005);
  assert.equal((await fetch(url, { headers: { 'x-waba-cluster-secret': 'guess' } })).status, 401);
  const secret = await clusterSecret(ctx.db);
  assert.match(secret, /^[0-9a-f]{64}$/);
  const withSecret = await fetch(url, { headers: { 'x-waba-cluster-secret': secret } });
  assert.equal(withSecret.status, 200);
  assert.equal((await withSecret.json()).role, 'coreapp');
  assert.match(await ctx.cluster.logs('wacore1'), /refused GET \/health from \S+: missing or wrong cluster secret/);
}

async function scaledDuplicatesRefused(ctx: Ctx): Promise<void> {
  const { cluster, api } = ctx;
  const holder = await cluster.containerHostname('wacore3');
  await cluster.compose(['up', '-d', '--scale', 'wacore3=3', 'wacore3']);
  const replicas = await cluster.containerIds('wacore3');
  assert.equal(replicas.length, 3);
  const refused = await waitFor('the two extra replicas refused', 60_000, async () => {
    const health = (await api.call('GET', '/v1/health')).body.health as Record<string, any>;
    const entries = Object.entries(health).filter(([key]) => key.startsWith('wacore3:'));
    if (entries.length !== 3) throw new Error(`three wacore3 entries expected: ${JSON.stringify(health)}`);
    const errors = entries.filter(([, e]) => e.errors);
    if (errors.length !== 2) throw new Error(`two refused entries expected: ${JSON.stringify(entries)}`);
    for (const [key, e] of errors) {
      assert.notEqual(key, `wacore3:${holder}`);
      assert.equal(e.errors[0].code, 1011);
      assert.match(e.errors[0].details, new RegExp(`COREAPP_HOSTNAME wacore3 is held by the live container ${holder} .*--scale`));
    }
    const kept = Object.fromEntries(entries.filter(([, e]) => !e.errors));
    assert.ok(kept[`wacore3:${holder}`]?.role === 'coreapp', 'the original wacore3 keeps its place');
    return errors.map(([key]) => key.split(':')[1]);
  });
  for (const container of refused) {
    const log = await exec('docker', ['logs', container]);
    assert.match(log, /ERROR +wacore3 COREAPP_HOSTNAME wacore3 is held by the live container/);
  }
  // The rest of the cluster is untouched: every shard still owned once.
  const support = await shardsByService(api);
  assert.deepEqual(Object.values(support).filter((s) => s !== '[]').sort(), ['[[-1,-1]]', '[[0,0]]', '[[1,1]]']);

  await cluster.compose(['up', '-d', '--scale', 'wacore3=1', 'wacore3']);
  await waitFor('back to one wacore3', 60_000, async () => {
    const health = (await api.call('GET', '/v1/health')).body.health as Record<string, any>;
    if (Object.keys(health).length !== 5) throw new Error(`five nodes expected: ${JSON.stringify(health)}`);
    return expectMulticonnect(await healthSummary(api, VERSION), COREAPPS, SHARDS);
  });
}

// Waiting for another test's cluster to go away is not part of any test's time limit.
before(() => waitForPublishedPortsFree());

for (const db of ['mysql', 'postgres'] as const) {
  test(`no split brain on ${db}: partitions of a coreapp and of the primary master; node identity`, { timeout: 15 * 60_000 }, async (t: TestContext) => {
    const cluster = await ComposeCluster.create(db, VERSION, `part${db}`);
    const api = new WabaClient();
    const ctx: Ctx = { db, cluster, api };
    const started = Date.now();
    let failed = false;
    const step = (name: string, fn: () => Promise<void>) => t.test(name, () => fn().catch((e) => {
      failed = true;
      throw e;
    }));
    try {
      await cluster.up();
      await registerCluster(cluster, api, VERSION, ACCOUNT, COREAPPS);
      await step('the node-to-node API published on the host requires the cluster secret', () => nodePortRequiresSecret(ctx));
      await step('a connected coreapp cut off and healed: fenced before its shard moves, never resumes it', () => coreappPartition(ctx));
      await step('the primary master cut off and healed: steps down before the other master takes over, rejoins as secondary', () => masterPartition(ctx));
      await step('--scale wacore3=3: the duplicates are refused loudly, the cluster is untouched', () => scaledDuplicatesRefused(ctx));
      const support = await shardsByService(api);
      assert.deepEqual(Object.values(support).filter((s) => s !== '[]').sort(), ['[[-1,-1]]', '[[0,0]]', '[[1,1]]'], 'every shard owned once at the end');
    } catch (error) {
      failed = true;
      console.log(`docker-compose ps:\n${await cluster.compose(['ps']).catch((e: Error) => e.message)}`);
      throw error;
    } finally {
      if (failed) await cluster.printLogs(['master1', 'master2', ...COREAPPS]);
      await cluster.destroy();
      console.log(`  ${cluster.folder.db}: ${((Date.now() - started) / 1000).toFixed(0)} s from up to down -v`);
    }
  });
}
