// The Docker engine restarted by its service manager while an upgrade runs, for real: a second
// engine (its own namespace) restarts while the DB upgrade job runs; the upgrade stops saying
// where, and the next run continues and finishes. Compose and the engine are real; only health
// (the webapp) is left out: no session, so the upgrade ends at "connect to see the nodes".
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ClusterCompose } from '../../../src/compose/clusterCompose';
import { readClusterFolder } from '../../../src/compose/clusterFolder';
import type { ComposeCli } from '../../../src/compose/composeCli';
import { DockerClient } from '../../../src/docker/dockerClient';
import { UpgradeWorkflow, type UpgradePorts, type UpgradeResumePoint } from '../../../src/workflows/upgradeWorkflow';
import { EngineFolder, engineWithFolder } from '../../support/engineFolder';
import type { SecondEngine } from '../../support/secondEngine';

describe(`An upgrade across a Docker engine restart (${process.env.WABA_COMPOSE || 'docker compose'})`, () => {
  let fixture: EngineFolder | undefined;
  let engine: SecondEngine | undefined;
  let docker: DockerClient | undefined;
  let folder: string;
  let cli: ComposeCli;

  before(async () => {
    fixture = await engineWithFolder('wabarestart');
    ({ engine, docker, folder, cli } = fixture);
    const { image } = fixture;
    writeFileSync(join(folder, 'multiconnect-compose.yml'), `services:\n  waweb:\n    image: ${image}\n    environment: { WA_API_VERSION: "\${WA_API_VERSION}" }\n    stop_grace_period: 0s\n`);
    // The job runs long enough to be caught by the restart; it ends on SIGTERM as the engine stops it.
    writeFileSync(join(folder, 'dbupgrade-compose.yml'), `services:\n  dbupgrade:\n    image: ${image}\n    environment: { WA_API_VERSION: "\${WA_API_VERSION}" }\n    command: ["/bin/sh", "-c", "trap 'exit 143' TERM; sleep \${JOB_SECONDS:-4} & wait"]\n`);
    writeFileSync(join(folder, 'db.env'), 'WA_DB_ENGINE=MYSQL\n');
    writeFileSync(join(folder, '.env'), 'WA_API_VERSION=2.51.2\n');
  });

  after(() => fixture?.close());

  it('stops at the DB upgrade job saying so, .env unchanged; the next run continues and finishes', { timeout: 120_000 }, async () => {
    const env: Record<string, string> = { DOCKER_HOST: engine!.socketHost, JOB_SECONDS: '30' };
    const compose = new ClusterCompose({ folder: () => readClusterFolder(folder, {}, cli.flavor), composeCli: async () => cli, engineEnv: () => env, dataRoot: async () => ({ dir: undefined }) });
    const up0 = await compose.run({ verb: 'up' }, () => undefined);
    assert.equal(up0.exitCode, 0, up0.lastLines.join('\n'));
    const project = compose.prepare().then((c) => c.folder.project);
    let resumePoint: UpgradeResumePoint | undefined;
    const steps: string[] = [];
    const ports = (): UpgradePorts => ({
      folder: {
        readDotenv: () => readFileSync(join(folder, '.env'), 'utf8'), writeDotenv: (text) => writeFileSync(join(folder, '.env'), text),
        dbEngine: () => 'MYSQL', dbUpgradeFiles: () => ['dbupgrade-compose.yml'],
      },
      compose: { up: ({ files, services, version }) => compose.run({ verb: 'up', services }, () => undefined, { files, env: version ? { WA_API_VERSION: version } : {} }) },
      containers: {
        list: async () => (await docker!.listProjectContainers(await project)).map((c) => ({ id: c.id, service: c.service })),
        waitForExit: (id, options) => docker!.waitForExit(id, options),
        remove: (id) => docker!.removeContainer(id),
      },
      health: { state: { kind: 'signedOut' }, onDidChange: () => ({ dispose: () => undefined }), poll: async () => ({ kind: 'signedOut' }) },
      engine: { answering: () => docker!.ping().then(() => true, () => false), onLost: (listener) => docker!.events.subscribe({ lost: listener }) },
      resumePoint: { get: () => resumePoint, set: (p) => { resumePoint = p; } },
      backUp: async () => undefined,
      environment: {},
    });
    const progress = { signal: new AbortController().signal, step: (m: string) => steps.push(m) };
    const prompter = { version: async () => '2.53.1', confirm: async () => 'upgrade' as const, resume: async () => 'continue' as const };

    const outcome = new UpgradeWorkflow(ports()).run(prompter, progress).then(() => undefined, (e: Error) => e);
    // Once the job runs, the engine restarts (as its service manager does).
    const deadline = Date.now() + 30_000;
    while (!engine!.docker('ps', '--filter', 'label=com.docker.compose.service=dbupgrade', '-q').trim()) {
      assert.ok(Date.now() < deadline, 'the job started');
      await new Promise((r) => setTimeout(r, 200));
    }
    await engine!.restart();
    const failure = await outcome;
    assert.match(failure?.message ?? 'it finished', /^The upgrade to 2\.53\.1 stopped at step 1 of 3 \(the DB upgrade job\): the Docker engine stopped or restarted \(.+\)\. The cluster still runs 2\.51\.2 and \.env is unchanged\. .*run Upgrade Cluster: it continues from this step\.$/);
    assert.equal(readFileSync(join(folder, '.env'), 'utf8'), 'WA_API_VERSION=2.51.2\n');
    assert.deepEqual(resumePoint, { from: '2.51.2', to: '2.53.1', step: 'job' });
    console.log(`engine restart mid-upgrade: ${failure!.message}`);

    env.JOB_SECONDS = '1';
    const result = await new UpgradeWorkflow(ports()).run(prompter, progress);
    assert.deepEqual(result, { kind: 'upgraded', to: '2.53.1', health: 'notConnected' });
    assert.equal(readFileSync(join(folder, '.env'), 'utf8'), 'WA_API_VERSION=2.53.1\n');
    assert.equal(resumePoint, undefined);
    const waweb = engine!.docker('ps', '--filter', 'label=com.docker.compose.service=waweb', '--format', '{{.ID}}').trim();
    assert.match(engine!.docker('inspect', '--format', '{{join .Config.Env " "}}', waweb), /WA_API_VERSION=2\.53\.1/, 'waweb re-created on the new version');
  });
});
