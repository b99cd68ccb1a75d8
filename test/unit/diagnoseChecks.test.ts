import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHealth } from '../../src/cluster/clusterHealth';
import type { HealthBody, SupportNode } from '../../src/contract';
import { diagnose, type CheckResult } from '../../src/diagnose/checks';
import { known, nodeKindOf, unknown, type ClusterFacts, type ContainerFacts } from '../../src/diagnose/facts';

const DB_ENV = { WA_DB_ENGINE: 'MYSQL', WA_DB_HOSTNAME: 'db', WA_DB_PORT: '3306', WA_DB_USERNAME: 'root', WA_DB_PASSWORD: 'testpass' };
const ids: Record<string, string> = { db: 'd0', waweb: 'e0', master1: 'a1', master2: 'a2', wacore1: 'c1', wacore2: 'c2', wacore3: 'c3' };
const hex = (service: string) => ids[service].padEnd(12, '0');

function container(service: string, overrides: Partial<ContainerFacts> = {}): ContainerFacts {
  const env: Record<string, string> = service === 'db' ? { MYSQL_ROOT_PASSWORD: 'testpass' }
    : service === 'waweb' ? { ...DB_ENV, WEBAPP_HOSTNAME: 'waweb' }
      : { ...DB_ENV, COREAPP_HOSTNAME: service, ...(service.startsWith('master') ? { WA_MASTER_NODE: '1' } : {}) };
  const image = service === 'db' ? 'mysql:8.0.33' : service === 'waweb' ? 'docker.whatsapp.biz/web:v2.53.1' : 'docker.whatsapp.biz/coreapp:v2.53.1';
  return {
    id: hex(service).padEnd(64, 'f'), name: `biz_${service}_1`, service, state: 'running', image, env, kind: nodeKindOf(env, service),
    version: service === 'db' ? undefined : '2.53.1',
    ports: service === 'waweb' ? [{ containerPort: 443, hostIp: '127.0.0.1', hostPort: 9090 }] : service === 'db' ? [{ containerPort: 3306, hostIp: '127.0.0.1', hostPort: 33060 }] : [],
    ...overrides,
  };
}

const SERVICES = ['db', 'waweb', 'master1', 'master2', 'wacore1', 'wacore2', 'wacore3'];
const healthBody = (): HealthBody => ({ health: {
  [`master1:${hex('master1')}`]: { gateway_status: 'connected', role: 'primary_master' },
  [`master2:${hex('master2')}`]: { gateway_status: 'disconnected', role: 'secondary_master' },
  [`wacore1:${hex('wacore1')}`]: { gateway_status: 'connected', role: 'coreapp' },
  [`wacore2:${hex('wacore2')}`]: { gateway_status: 'connected', role: 'coreapp' },
  [`wacore3:${hex('wacore3')}`]: { gateway_status: 'disconnected', role: 'coreapp' },
}, meta: { version: 'v2.53.1' } });
const supportOf = (owners: Record<string, Array<[number, number]>>): SupportNode[] =>
  ['master1', 'master2', 'wacore1', 'wacore2', 'wacore3'].map((s) => ({ key: `${s}:${hex(s)}`, body: { role: s.startsWith('master') ? (s === 'master1' ? 'primary_master' : 'secondary_master') : 'coreapp', shards: owners[s] ?? [], expire_timestamp: '2027-05-01T00:00:00' } }));

/** A healthy 2-shard Multiconnect cluster: master1 primary with the control shard, wacore3 the standby. */
function healthy(): ClusterFacts {
  return {
    at: '2026-11-28T12:00:00.000Z',
    folder: { path: '/home/ana/biz', project: 'biz', apiVersion: '2.53.1', apiVersionFrom: '.env', dbEngine: 'MYSQL' },
    containers: known(SERVICES.map((s) => container(s))),
    connected: true,
    health: known({ nodes: parseHealth(healthBody()), version: 'v2.53.1' }),
    support: known(supportOf({ master1: [[-1, -1]], wacore1: [[0, 0]], wacore2: [[1, 1]] })),
    settings: known({ heartbeat_interval: 5, unhealthy_interval: 30, webhooks: { url: '' } }),
    shardCount: known(2),
    db: known({ engine: 'MYSQL', where: '127.0.0.1:3306 inside db', user: 'root', reachable: true, privileged: true, grants: 'GRANT ALL PRIVILEGES ON *.* TO `root`@`%`' }),
    failoverExpectationSeconds: 35,
  };
}

const failing = (results: CheckResult[]) => results.filter((r) => r.severity === 'problem' || r.severity === 'warning');
const find = (results: CheckResult[], prefix: string) => results.filter((r) => r.id.startsWith(prefix));

describe('Diagnose Cluster checks', () => {
  it('are all green on a healthy Multiconnect cluster, with evidence on every row', () => {
    const d = diagnose(healthy());
    assert.deepEqual(failing(d.results), []);
    assert.equal(d.counts.problem + d.counts.warning, 0);
    assert.ok(d.counts.ok >= 12, JSON.stringify(d.counts));
    assert.ok(d.results.every((r) => r.evidence.length > 10), 'every row says what was seen');
    assert.match(find(d.results, 'ha.standby')[0].evidence, /wacore3/);
    assert.match(find(d.results, 'ha.control')[0].evidence, /master1 holds the control shard/);
    assert.equal(find(d.results, 'webhook')[0].severity, 'skipped', 'no webhook set: nothing to reach');
  });

  it('a stopped coreapp: a warning naming it, with Start as its fix', () => {
    const facts = healthy();
    facts.containers = known(SERVICES.map((s) => container(s, s === 'wacore2' ? { state: 'exited', exitCode: 137 } : {})));
    const [row] = find(diagnose(facts).results, 'containers.stopped:wacore2');
    assert.equal(row.severity, 'warning');
    assert.match(row.evidence, /biz_wacore2_1 is exited \(exit code 137\)/);
    assert.deepEqual(row.fix, { label: 'Start wacore2', command: 'wabaCluster.startService', args: [{ id: container('wacore2').id, label: 'wacore2' }] });
  });

  it('no standby: a warning saying a shard stops when an owner dies', () => {
    const facts = healthy();
    const body = healthBody();
    delete (body.health as Record<string, unknown>)[`wacore3:${hex('wacore3')}`];
    facts.health = known({ nodes: parseHealth(body) });
    facts.containers = known(SERVICES.map((s) => container(s, s === 'wacore3' ? { state: 'exited', exitCode: 0 } : {})));
    const [row] = find(diagnose(facts).results, 'ha.standby');
    assert.equal(row.severity, 'warning');
    assert.match(row.evidence, /No coreapp stands by/);
    assert.equal(row.fix?.command, 'wabaCluster.startService');
  });

  it('more shards than coreapps: a problem naming the shards nobody owns', () => {
    const facts = healthy();
    facts.shardCount = known(4);
    facts.support = known(supportOf({ master1: [[-1, -1]], wacore1: [[0, 0]], wacore2: [[1, 1]], wacore3: [[2, 2]] }));
    const d = diagnose(facts);
    const [unowned] = find(d.results, 'ha.unowned');
    assert.equal(unowned.severity, 'problem');
    assert.match(unowned.evidence, /Shard\(s\) 3 of 4 have no coreapp/);
    assert.equal(find(d.results, 'ha.connected')[0].severity, 'problem');
  });

  it('a stale version: .env differs from what runs, and mixed versions across nodes', () => {
    const facts = healthy();
    facts.drift = 'running v2.51.2, .env says v2.53.1 — Start to upgrade';
    facts.containers = known(SERVICES.map((s) => container(s, s === 'wacore3' ? { version: '2.51.2', image: 'docker.whatsapp.biz/coreapp:v2.51.2' } : {})));
    const d = diagnose(facts);
    assert.equal(find(d.results, 'versions.env')[0].severity, 'warning');
    assert.equal(find(d.results, 'versions.env')[0].fix?.command, 'wabaCluster.upgrade');
    const [mixed] = find(d.results, 'versions.mixed');
    assert.equal(mixed.severity, 'problem');
    assert.match(mixed.evidence, /v2\.53\.1: waweb, master1, master2, wacore1, wacore2; v2\.51\.2: wacore3/);
  });

  it('the database stopped: the db container, the login and the nodes waiting for it, each a problem', () => {
    const facts = healthy();
    facts.containers = known(SERVICES.map((s) => container(s, s === 'db' ? { state: 'exited', exitCode: 0 } : {})));
    facts.db = unknown('the db container is not running');
    const body = healthBody();
    (body.health as Record<string, unknown>)[`wacore1:${hex('wacore1')}`] = { errors: [{ code: 1011, title: 'Service not ready', details: 'cannot reach the database' }] };
    facts.health = known({ nodes: parseHealth(body) });
    const d = diagnose(facts);
    const db = find(d.results, 'containers.stopped:db')[0];
    assert.equal(db.severity, 'problem');
    assert.equal(find(d.results, 'db.reachable')[0].severity, 'problem');
    assert.equal(find(d.results, 'db.reachable')[0].fix?.label, 'Start db');
    const node = find(d.results, 'ha.notReady:wacore1')[0];
    assert.equal(node.severity, 'problem');
    assert.match(node.evidence, /likely cause: the database cannot be reached/);
  });

  it('two containers with one COREAPP_HOSTNAME: a problem, the fix stops the extra one', () => {
    const facts = healthy();
    const extra = container('wacore3', { id: 'c4'.padEnd(64, 'f'), name: 'biz_wacore3_2' });
    facts.containers = known([...SERVICES.map((s) => container(s)), extra]);
    const [row] = find(diagnose(facts).results, 'ha.hostnames:wacore3');
    assert.equal(row.severity, 'problem');
    assert.match(row.evidence, /biz_wacore3_1, biz_wacore3_2 all say COREAPP_HOSTNAME=wacore3/);
    assert.deepEqual(row.fix?.args, [{ id: extra.id, name: 'biz_wacore3_2' }]);
  });

  it('impossible states (two primaries, two owners of a shard) are problems, never healthy', () => {
    const facts = healthy();
    const body = healthBody();
    (body.health as Record<string, { role?: string }>)[`master2:${hex('master2')}`].role = 'primary_master';
    facts.health = known({ nodes: parseHealth(body) });
    facts.support = known(supportOf({ master1: [[-1, -1]], wacore1: [[0, 0]], wacore2: [[1, 1]], wacore3: [[1, 1]] }));
    const impossible = find(diagnose(facts).results, 'ha.impossible').map((r) => r.evidence);
    assert.equal(impossible.length, 2, impossible.join('\n'));
    assert.match(impossible[0], /^2 primary masters at once: master1, master2/);
    assert.match(impossible[1], /^shard 1 has 2 owners at once: wacore2, wacore3/);
  });

  it('nodes not ready get a likely cause: a pending upgrade, a stopped container behind 1014', () => {
    const facts = healthy();
    const body = healthBody();
    const h = body.health as Record<string, unknown>;
    h[`wacore3:${hex('wacore3')}`] = { gateway_status: 'uninitialized', role: 'coreapp' };
    h[`wacore2:${hex('wacore2')}`] = { errors: [{ code: 1014, title: 'Internal error', details: `Unable to reach ${hex('wacore2')}:6253` }] };
    facts.health = known({ nodes: parseHealth(body) });
    facts.containers = known(SERVICES.map((s) => container(s, s === 'wacore2' ? { state: 'exited', exitCode: 137 } : {})));
    const d = diagnose(facts);
    assert.equal(find(d.results, 'ha.notReady:wacore3')[0].fix?.command, 'wabaCluster.upgrade');
    const unreachable = find(d.results, 'ha.notReady:wacore2')[0];
    assert.match(unreachable.evidence, /likely cause: its container biz_wacore2_1 is exited/);
    assert.equal(unreachable.fix?.label, 'Start wacore2');
  });

  it('WADebug\'s checks: missing WA_DB_* settings, a password the client breaks on, no webapp port, a privilege short', () => {
    const facts = healthy();
    const noPort = container('waweb', { ports: [] });
    const broken = container('wacore1', { env: { ...DB_ENV, WA_DB_PASSWORD: 'pa=ss!', COREAPP_HOSTNAME: 'wacore1' } });
    const lacking = container('wacore2', { env: { COREAPP_HOSTNAME: 'wacore2', WA_DB_ENGINE: 'MYSQL' } });
    facts.containers = known(SERVICES.map((s) => (s === 'waweb' ? noPort : s === 'wacore1' ? broken : s === 'wacore2' ? lacking : container(s))));
    facts.db = known({ engine: 'MYSQL', where: '127.0.0.1:3306 inside db', user: 'wa', reachable: true, privileged: false, grants: 'GRANT USAGE ON *.* TO `wa`@`%`' });
    const d = diagnose(facts);
    assert.match(find(d.results, 'db.settings')[0].evidence, /wacore2 lacks WA_DB_HOSTNAME, WA_DB_PORT, WA_DB_USERNAME, WA_DB_PASSWORD/);
    assert.match(find(d.results, 'db.password')[0].evidence, /contains = !/);
    assert.equal(find(d.results, 'webapp.port')[0].severity, 'problem');
    assert.equal(find(d.results, 'db.reachable')[0].severity, 'problem');
  });

  it('ports on every address and failover settings slower than expected are warnings', () => {
    const facts = healthy();
    facts.containers = known(SERVICES.map((s) => container(s, s === 'db' ? { ports: [{ containerPort: 3306, hostIp: '0.0.0.0', hostPort: 33060 }] } : {})));
    facts.failoverExpectationSeconds = 10;
    const d = diagnose(facts);
    assert.match(find(d.results, 'ports.loopback')[0].evidence, /db 0\.0\.0\.0:33060 listen on every address/);
    const [timing] = find(d.results, 'ha.timing');
    assert.equal(timing.severity, 'warning');
    assert.match(timing.evidence, /heartbeat 5 s, unhealthy 30 s: .* about 35 s .* slower than the 10 s you expect/);
    facts.settings = known({ heartbeat_interval: 5, unhealthy_interval: 8 });
    facts.failoverExpectationSeconds = 60;
    assert.match(find(diagnose(facts).results, 'ha.timing')[0].evidence, /under 2 heartbeats/);
  });

  it('the webhook: HTTPS required, 200 within 3 s from a coreapp', () => {
    const facts = healthy();
    facts.settings = known({ heartbeat_interval: 5, unhealthy_interval: 30, webhooks: { url: 'https://hooks.example/wa' } });
    facts.webhook = known({ url: 'https://hooks.example/wa', from: 'wacore1', status: 200, seconds: 0.2 });
    assert.equal(find(diagnose(facts).results, 'webhook')[0].severity, 'ok');
    facts.webhook = known({ url: 'https://hooks.example/wa', from: 'wacore1', status: 0, seconds: 5, error: 'Connection timed out' });
    assert.match(find(diagnose(facts).results, 'webhook')[0].evidence, /could not be reached from wacore1: Connection timed out/);
  });

  it('without a login, the API checks are skipped with Connect as the fix; the Docker checks still run', () => {
    const facts = healthy();
    facts.connected = false;
    for (const key of ['health', 'support', 'settings', 'shardCount'] as const) (facts as unknown as Record<string, unknown>)[key] = unknown('not connected to the webapp');
    const d = diagnose(facts);
    const primary = find(d.results, 'ha.primary')[0];
    assert.equal(primary.severity, 'skipped');
    assert.equal(primary.fix?.command, 'wabaCluster.connect');
    assert.equal(find(d.results, 'containers')[0].severity, 'ok');
    assert.deepEqual(failing(d.results), []);
  });

  it('orders problems first, then warnings, passes, and what was not checked', () => {
    const facts = healthy();
    facts.drift = 'running v2.51.2, .env says v2.53.1 — Start to upgrade';
    facts.containers = known(SERVICES.map((s) => container(s, s === 'waweb' ? { ports: [] } : {})));
    const order = diagnose(facts).results.map((r) => r.severity);
    const rank = { problem: 0, warning: 1, ok: 2, skipped: 3 };
    assert.deepEqual(order, [...order].sort((a, b) => rank[a] - rank[b]));
    assert.equal(order[0], 'problem');
  });
});
