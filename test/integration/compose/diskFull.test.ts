// A full disk under Docker's data root, for real: a second engine (its own namespace) whose data
// root is a small tmpfs, filled up; Start Cluster's workflow runs compose against it (once per
// compose CLI) and must fail with what failed, where the disk is full and what to free.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ClusterCompose } from '../../../src/compose/clusterCompose';
import { readClusterFolder } from '../../../src/compose/clusterFolder';
import type { ComposeCli } from '../../../src/compose/composeCli';
import { readDataRoot } from '../../../src/docker/dataRoot';
import { DockerClient } from '../../../src/docker/dockerClient';
import { StartClusterWorkflow } from '../../../src/workflows/startWorkflow';
import { EngineFolder, engineWithFolder } from '../../support/engineFolder';
import type { SecondEngine } from '../../support/secondEngine';

describe(`A full disk under Docker's data root (${process.env.WABA_COMPOSE || 'docker compose'})`, () => {
  let fixture: EngineFolder | undefined;
  let engine: SecondEngine | undefined;
  let docker: DockerClient | undefined;
  let folder: string;
  let cli: ComposeCli;

  before(async () => {
    fixture = await engineWithFolder('wabadisk', { dataRootSize: '48m' });
    ({ engine, docker, folder, cli } = fixture);
    const { image } = fixture;
    writeFileSync(join(folder, 'multiconnect-compose.yml'), `services:\n  waweb:\n    image: ${image}\n    stop_grace_period: 0s\n`);
    // Fill the data root: what is left is less than a network's store needs.
    execFileSync('sh', ['-c', `cat /dev/zero > ${join(engine.root, 'data', 'filler')} 2>/dev/null || true`]);
  });

  after(() => fixture?.close());

  it('Start Cluster fails saying compose up could not write, which disk (Docker Root Dir, 0 free) and what to free', { timeout: 60_000 }, async () => {
    const dataRoot = join(engine!.root, 'data');
    assert.equal(statfsSync(dataRoot).bavail, 0, 'the data root is full');
    const compose = new ClusterCompose({
      folder: () => readClusterFolder(folder, {}, cli.flavor), composeCli: async () => cli,
      engineEnv: () => ({ DOCKER_HOST: engine!.socketHost }), dataRoot: () => readDataRoot(docker!, true),
    });
    const stderr: string[] = [];
    const workflow = new StartClusterWorkflow({
      compose, engine: { containersPublishing: (p) => docker!.containersPublishing(p), imageTags: (r) => docker!.imageTags(r), local: true, stopContainer: (id) => docker!.stopContainer(id) },
      prompter: { chooseApiVersion: async () => assert.fail('no question expected'), confirmStop: async () => assert.fail('no question expected'), showInvalidFiles: async (m) => assert.fail(`files refused: ${m}`) },
      reloadWorkspace: async () => undefined,
      onLine: (line, stream) => { if (stream === 'stderr') stderr.push(line); },
    });
    const failure = await workflow.run().then(() => undefined, (e: Error) => e);
    assert.ok(failure, `compose up succeeded on a full disk; its output:\n${stderr.join('\n')}`);
    assert.ok(stderr.some((l) => /no space left on device/.test(l)), `compose said why: ${stderr.join('\n')}`);
    const label = cli.label.replace(/[-]/g, '\\-');
    assert.match(failure.message, new RegExp(`^${label} up failed: no space left on device\\. The disk under Docker's data root ${dataRoot} is full, 0 KB free\\. Free space on it, then try again: \`docker system df\` .*\`docker system prune\` .*\`df -h ${dataRoot}\``));
    console.log(`full data root: ${failure.message}`);

    // Once space is freed, the same action goes through.
    rmSync(join(dataRoot, 'filler'));
    assert.equal(await workflow.run(), true);
    assert.deepEqual(JSON.parse(engine!.docker('ps', '--format', '{{json .State}}').trim() || '""'), 'running');
  });
});
