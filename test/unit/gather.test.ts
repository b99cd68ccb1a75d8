// What Diagnose Cluster gathers, with fakes of its ports: a Docker engine under a compose project
// (test/unit/fakes/fakeEngine.ts) and the webapp's wire (fakeAdminApi.ts) behind the extension's
// typed API. Each test reads the verdict a user sees in the Diagnose table.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WabaApiError } from '../../src/api/wabaError';
import { diagnose, type CheckResult } from '../../src/diagnose/checks';
import { gatherFacts, type GatherPorts } from '../../src/diagnose/gather';
import { FakeAdminApi } from './fakes/fakeAdminApi';
import { DB_PASSWORD, FakeEngine, multiconnect, nodeKey } from './fakes/fakeEngine';

const FOLDER = { path: '/home/ana/biz', project: 'biz', apiVersion: '2.53.1', apiVersionFrom: '.env', dbEngine: 'MYSQL' };

function ports(engine: FakeEngine, webapp: FakeAdminApi | undefined): GatherPorts {
  return { folder: FOLDER, docker: { listProjectContainers: (p) => engine.listProjectContainers(p), ...engine.current }, api: webapp?.api, drift: undefined, failoverExpectationSeconds: 35, now: () => new Date('2026-12-01T10:00:00Z') };
}
const row = (results: readonly CheckResult[], id: string): CheckResult => results.find((r) => r.id === id) ?? assert.fail(`no ${id} in ${results.map((r) => r.id).join(', ')}`);
const problems = (results: readonly CheckResult[]) => results.filter((r) => r.severity === 'problem' || r.severity === 'warning').map((r) => `${r.id}: ${r.evidence}`);

describe('gathering the facts Diagnose Cluster judges', () => {
  it('a healthy Multiconnect cluster: no problem, and the database login is shown with its grants', async () => {
    const engine = new FakeEngine();
    const { facts } = await gatherFacts(ports(engine, multiconnect(new FakeAdminApi())));
    const d = diagnose(facts);
    assert.deepEqual(problems(d.results), []);
    assert.match(row(d.results, 'db.reachable').evidence, /^root logs in at 127\.0\.0\.1:3306 inside db; GRANT ALL PRIVILEGES ON \*\.\*/);
    assert.equal(facts.shardCount.ok && facts.shardCount.value, 2);
    // The password goes to the client in its environment, never on a command line (`ps` would show it).
    const login = engine.execs.find((e) => e.service === 'db')!;
    assert.deepEqual(login.env, [`MYSQL_PWD=${DB_PASSWORD}`]);
    assert.ok(!login.cmd.join(' ').includes(DB_PASSWORD));
  });

  it('a database that refuses the login: the check is a problem with the database\'s own words', async () => {
    const engine = new FakeEngine();
    engine.dbClient = { exitCode: 1, stdout: '', stderr: 'mysql: [Warning] Using a password on the command line interface can be insecure.\nERROR 1045 (28000): Access denied for user \'root\'@\'localhost\' (using password: YES)\n' };
    const d = diagnose((await gatherFacts(ports(engine, multiconnect(new FakeAdminApi())))).facts);
    const db = row(d.results, 'db.reachable');
    assert.equal(db.severity, 'problem');
    assert.match(db.evidence, /127\.0\.0\.1:3306 inside db as root failed: ERROR 1045 \(28000\): Access denied for user 'root'@'localhost'/);
  });

  it('not connected: the webapp\'s checks are not run, and say to connect', async () => {
    const { facts } = await gatherFacts(ports(new FakeEngine(), undefined));
    assert.equal(facts.connected, false);
    const d = diagnose(facts);
    const timing = row(d.results, 'ha.timing');
    assert.equal(timing.severity, 'skipped');
    assert.match(timing.evidence, /Not connected to the webapp: run "WABA: Connect to Webapp"/);
  });

  it('a webapp answer that fails is a fact not known, naming the route and the webapp\'s error', async () => {
    const webapp = multiconnect(new FakeAdminApi());
    webapp.failing.set('GET /v1/support', new WabaApiError(500, [{ code: 1011, title: 'Service not ready' }], '/v1/support'));
    webapp.shardsBody = (shards) => ({ account: [{ shards }] });
    const { facts, answers } = await gatherFacts(ports(new FakeEngine(), webapp));
    assert.ok(!facts.support.ok);
    assert.match(facts.support.reason, /^GET \/v1\/support failed: .*1011 Service not ready/);
    assert.deepEqual(answers.support, { notRead: facts.support.reason }, 'the support bundle says why support.json is empty');
    assert.equal(facts.shardCount.ok && facts.shardCount.value, 2, 'a shard count wrapped in an array is read too');
  });

  it('keeps the answers as the webapp sent them, for the support bundle', async () => {
    const webapp = multiconnect(new FakeAdminApi());
    const { answers } = await gatherFacts(ports(new FakeEngine(), webapp));
    assert.deepEqual((answers.support as { support: Record<string, unknown> }).support[nodeKey('wacore2')], webapp.support[nodeKey('wacore2')]);
    assert.equal((answers.settings as { settings: { application: { heartbeat_interval: number } } }).settings.application.heartbeat_interval, 5);
  });

  it('tries an https webhook from a running coreapp, as WADebug does, and shows the answer', async () => {
    const engine = new FakeEngine();
    engine.container('wacore1').state = 'exited';
    engine.container('wacore1').exitCode = 137;
    engine.curl = { exitCode: 0, stdout: '503 0.120', stderr: '' };
    const webapp = multiconnect(new FakeAdminApi());
    await webapp.api.patchSettings({ webhooks: { url: 'https://hooks.example.test/in' } });
    const { facts } = await gatherFacts(ports(engine, webapp));
    assert.deepEqual(facts.webhook?.ok && { status: facts.webhook.value.status, from: facts.webhook.value.from }, { status: 503, from: 'wacore2' });
    const tried = engine.execs.find((e) => e.cmd[0] === 'curl')!;
    assert.equal(tried.service, 'wacore2', 'not from the exited wacore1');
    assert.equal(tried.cmd.at(-1), 'https://hooks.example.test/in');
    assert.ok(diagnose(facts).results.some((r) => r.severity !== 'ok' && /503/.test(r.evidence)), 'the webhook\'s 503 is shown');
  });
});
