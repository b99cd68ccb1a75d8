// The Cluster Nodes tree against a real Docker engine (WABA_EXPECT_DOCKER=1) and against an
// unreachable one (WABA_EXPECT_DOCKER=0, run with DOCKER_HOST=unix:///nonexistent/docker.sock).
// The test's own Docker calls go through dockerode, never through the extension's code.
import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import Docker from 'dockerode';
import * as vscode from 'vscode';
import { activateExtension, describeItems, refreshUntil, workspaceProjectName, type WabaClusterApi } from './support';

const expectDocker = process.env.WABA_EXPECT_DOCKER;
const TEST_IMAGE = 'waba-test/empty:latest';

/** An empty tar archive (two zero blocks): enough for `docker import` to make a throwaway image. */
const emptyRootfs = () => Readable.from([Buffer.alloc(1024)]);

(expectDocker === '1' ? describe : describe.skip)('Cluster Nodes with Docker reachable', function () {
  this.timeout(120_000);
  const docker = new Docker();
  const project = workspaceProjectName();
  let api: WabaClusterApi;
  let container: Docker.Container | undefined;
  let imported = false;

  before(async () => {
    await docker.ping().catch((err: Error) => { throw new Error(`the test cannot reach Docker itself: ${err.message}`); });
    ({ api } = await activateExtension());
  });

  after(async () => {
    if (container) await container.remove({ force: true }).catch((e: Error) => console.error(`cleanup: ${e.message}`));
    if (imported) await docker.getImage(TEST_IMAGE).remove({ force: true }).catch((e: Error) => console.error(`cleanup: ${e.message}`));
  });

  it(`shows no master1 before the project has containers`, async () => {
    const items = await refreshUntil(api, () => true);
    assert.ok(!items.some((i) => i.label === 'master1'), `unexpected master1 in ${describeItems(items)}`);
    assert.ok(!items.some((i) => i.contextValue === 'dockerUnreachable'), `Docker reported unreachable: ${describeItems(items)}`);
  });

  it('lists a created compose container of the workspace project as "master1 … created"', async () => {
    const progress = await docker.importImage(emptyRootfs(), { repo: 'waba-test/empty', tag: 'latest' });
    imported = true;
    await new Promise((resolve, reject) => docker.modem.followProgress(progress, (err) => (err ? reject(err) : resolve(undefined))));
    container = await docker.createContainer({
      name: `${project}_master1_1`,
      Image: TEST_IMAGE,
      Cmd: ['none'],
      Labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': 'master1' },
    });
    const items = await refreshUntil(api, (xs) => xs.some((i) => i.label === 'master1' && /created/i.test(i.description ?? '')));
    assert.ok(
      items.some((i) => i.label === 'master1' && /created/i.test(i.description ?? '')),
      `project ${project}: no "master1 … created" item in ${describeItems(items)}`,
    );
  });

  it('drops the item again once the container is removed', async () => {
    assert.ok(container, 'previous test did not create the container');
    await container.remove({ force: true });
    container = undefined;
    const items = await refreshUntil(api, (xs) => !xs.some((i) => i.label === 'master1'));
    assert.ok(!items.some((i) => i.label === 'master1'), `master1 still listed: ${describeItems(items)}`);
  });
});

(expectDocker === '0' ? describe : describe.skip)('Cluster Nodes with Docker unreachable', function () {
  this.timeout(60_000);

  it('still activates', async () => {
    const { ext } = await activateExtension();
    assert.equal(ext.isActive, true);
  });

  it('shows a single "Docker is not reachable" item', async () => {
    const { api } = await activateExtension();
    await vscode.commands.executeCommand('wabaCluster.refresh');
    const items = await api.treeSnapshot();
    assert.equal(items.length, 1, describeItems(items));
    assert.ok(items[0].label.startsWith('Docker is not reachable'), describeItems(items));
    assert.equal(items[0].contextValue, 'dockerUnreachable');
  });
});

describe('Docker expectation of this run', () => {
  it('is stated by the runner (WABA_EXPECT_DOCKER=0|1)', () => {
    assert.ok(expectDocker === '0' || expectDocker === '1', `WABA_EXPECT_DOCKER=${expectDocker}`);
  });
});
