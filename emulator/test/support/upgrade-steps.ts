// Steps shared by the upgrade tests: the state a registered cluster must keep across versions,
// and a downgrade the nodes must refuse without changing anything.
import assert from 'node:assert/strict';
import type { ComposeCluster } from './compose-cluster';
import { expectMulticonnect, healthSummary } from './health';
import { recipientsPerShard, sendText } from './messages';
import type { Account } from './registered-cluster';
import { loginAdmin } from './registered-cluster';
import { WabaClient, waitFor } from './waba-client';

export const COREAPPS = ['wacore1', 'wacore2', 'wacore3'];
export const OPERATOR = { username: 'operator', password: 'Operator-2026!' };

/** Every node of the cluster runs `version` and Multiconnect is back; registration, shards, settings, users kept. */
export async function expectKeptOn(cluster: ComposeCluster, api: WabaClient, version: string, a: Account): Promise<void> {
  await loginAdmin(api, a.password, false);
  await waitFor(`Multiconnect on ${version}`, 120_000, async () => expectMulticonnect(await healthSummary(api, version), COREAPPS, a.shards));
  const support = (await api.call('GET', '/v1/support')).body.support as Record<string, { version: string }>;
  assert.deepEqual([...new Set(Object.values(support).map((n) => n.version))], [version], 'every node runs the new version');
  assert.equal(Object.keys(support).length, 5);
  assert.deepEqual((await api.call('GET', '/v1/account/shards')).body.account, { shards: a.shards });
  const settings = (await api.call('GET', '/v1/settings/application')).body.settings.application;
  assert.equal(settings.unhealthy_interval, a.unhealthyS);
  assert.equal(settings.wa_id, `${a.cc}${a.phone}`);
  const operator = new WabaClient(api.host, api.port);
  await operator.pinCertificate();
  assert.equal((await operator.login(OPERATOR.username, OPERATOR.password)).status, 200, 'users are kept');
  for (const to of recipientsPerShard(a.shards)) {
    const sent = await sendText(api, to, `on ${version}`);
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    assert.equal(sent.body.meta.version, `v${version}`);
  }
  console.log(`  ${cluster.folder.db}: cluster on ${version} with registration, shards, settings and users kept`);
}

export async function createOperator(api: WabaClient): Promise<void> {
  const created = await api.call('POST', '/v1/users', { body: OPERATOR });
  assert.equal(created.status, 201, JSON.stringify(created.body));
}

/**
 * `up -d` with an older version than the schema: every node refuses (health and log say why) and
 * nothing changes; then `up -d` with `newer` again brings the cluster back as it was.
 */
export async function expectDowngradeRefused(cluster: ComposeCluster, api: WabaClient, older: string, newer: string, a: Account): Promise<void> {
  const schema = Number(newer.split('.')[1]);
  await cluster.up([], { WA_API_VERSION: older });
  await loginAdmin(api, a.password, false);
  const health = await waitFor(`${older} nodes refusing the ${newer} schema`, 120_000, async () => {
    const res = await api.call('GET', '/v1/health');
    const nodes = Object.entries(res.body.health as Record<string, any>);
    if (res.body.meta.version !== `v${older}` || nodes.length !== 5) throw new Error(JSON.stringify(res.body));
    for (const [key, node] of nodes) {
      const details = node.errors?.[0]?.details ?? '';
      if (node.errors?.[0]?.code !== 1011 || !details.includes(`The database schema (${schema}) is newer than version ${older} supports`)) throw new Error(`${key}: ${JSON.stringify(node)}`);
    }
    return res.body.health;
  });
  assert.match(Object.values(health as Record<string, any>)[0].errors[0].details, /changes nothing/);
  for (const service of ['master1', 'wacore1']) {
    assert.match(await cluster.logs(service), new RegExp(`ERROR +${service} The database schema \\(${schema}\\) is newer than version ${older.replace(/\./g, '\\.')}`));
  }
  const refused = await sendText(api, recipientsPerShard(a.shards)[0], 'during the downgrade');
  assert.ok(refused.status >= 500 && [1011, 1014, 1018].includes(refused.body.errors[0].code), JSON.stringify(refused.body));
  const settingsRefused = await api.call('GET', '/v1/settings/application');
  assert.equal(settingsRefused.body.errors[0].code, 1017, 'no master of the older version becomes primary');
  console.log(`  ${cluster.folder.db}: ${older} on the ${newer} schema refused by every node`);

  await cluster.up([], { WA_API_VERSION: newer });
  await expectKeptOn(cluster, api, newer, a);
}
