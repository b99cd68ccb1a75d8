// Bringing a test cluster to the guide's registered Multiconnect state: admin password changed,
// number registered (the code read from the primary master's log), intervals and shards set.
import assert from 'node:assert/strict';
import { certForVname } from '../../src/logic/vname';
import type { ComposeCluster } from './compose-cluster';
import { expectMulticonnect, healthSummary, primaryMasterOf } from './health';
import { WabaClient, waitFor } from './waba-client';

export interface Account {
  cc: string;
  phone: string;
  vname: string;
  password: string;
  shards: number;
  heartbeatS: number;
  unhealthyS: number;
}

/** Logs in as admin, changing the default password first (the cluster may still be starting). */
export async function loginAdmin(api: WabaClient, password: string, first = true): Promise<void> {
  await api.pinCertificate(120_000);
  await waitFor('webapp login', 90_000, async () => ((await api.login('admin', first ? 'secret' : password, first ? password : undefined)).status === 200 ? true : undefined));
}

/** From a fresh cluster (every service up) to Multiconnect; returns the primary master's service. */
export async function registerCluster(cluster: ComposeCluster, api: WabaClient, version: string, a: Account, coreapps: string[]): Promise<string> {
  await loginAdmin(api, a.password);
  const primary = await waitFor('a primary master', 60_000, async () => primaryMasterOf(await healthSummary(api, version)));
  const cert = certForVname(a.vname);
  const requested = await api.call('POST', '/v1/account', { body: { cc: a.cc, phone_number: a.phone, method: 'sms', cert } });
  assert.equal(requested.status, 202, JSON.stringify(requested.body));
  const codeLine = new RegExp(`Registration code for \\+${a.cc}${a.phone}: (\\d{6})`);
  const code = await waitFor('registration code in the primary master log', 10_000, async () => codeLine.exec(await cluster.logs(primary))?.[1]);
  assert.equal((await api.call('POST', '/v1/account/verify', { body: { code } })).status, 201);
  const patch = await api.call('PATCH', '/v1/settings/application', { body: { heartbeat_interval: a.heartbeatS, unhealthy_interval: a.unhealthyS } });
  assert.equal(patch.status, 200, JSON.stringify(patch.body));
  const shards = await api.call('POST', '/v1/account/shards', { body: { cc: a.cc, phone_number: a.phone, shards: a.shards, cert } });
  assert.equal(shards.status, 201, JSON.stringify(shards.body));
  await waitFor(`Multiconnect with ${a.shards} shards`, 60_000, async () => expectMulticonnect(await healthSummary(api, version), coreapps, a.shards));
  return primary;
}
