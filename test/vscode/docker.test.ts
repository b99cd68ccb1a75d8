// The Cluster Nodes tree against a real Docker engine (WABA_EXPECT_DOCKER=1) and against an
// unreachable one (WABA_EXPECT_DOCKER=0, run with DOCKER_HOST=unix:///nonexistent/docker.sock).
// The test's own Docker calls go through dockerode, never through the extension's code.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Readable } from 'node:stream';
import Docker from 'dockerode';
import * as vscode from 'vscode';
import { TINY_IMAGE, buildTinyImage, removeTinyImage } from '../support/tinyImage';
import { until } from './clusterSteps';
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

(expectDocker === '1' ? describe : describe.skip)('Tail Logs with Docker reachable', function () {
  this.timeout(120_000);
  const project = workspaceProjectName();
  const name = `${project}_ticker_1`;
  const config = () => vscode.workspace.getConfiguration('wabaCluster');
  let api: WabaClusterApi;

  before(async () => {
    ({ api } = await activateExtension());
    buildTinyImage();
    await config().update('logs.maxLines', 1_000, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    execFileSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
    removeTinyImage();
    await config().update('logs.maxLines', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('a chatty log fills its channel up to wabaCluster.logs.maxLines, then the channel says what it cleared and goes on with no line lost', async () => {
    const script = 'sleep 3; i=0; while [ $i -lt 2500 ]; do echo "ticker seq=$i"; i=$((i+1)); done; sleep 600';
    const id = execFileSync('docker', ['run', '-d', '--name', name, '--label', `com.docker.compose.project=${project}`, '--label', 'com.docker.compose.service=ticker', TINY_IMAGE, '/bin/sh', '-c', script], { encoding: 'utf8' }).trim();
    await refreshUntil(api, (xs) => xs.some((i) => i.label === 'ticker'));
    assert.equal(await vscode.commands.executeCommand('wabaCluster.tailLogs', { id, label: 'ticker' }), 'ticker');
    // The Output view's document, as VS Code gives it to extensions: what the user reads.
    const shown = () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && d.getText().includes('ticker seq='))?.getText() ?? '';
    await until('the last line in the channel', shown, (text) => text.includes('ticker seq=2499')).catch(() => undefined);
    const lines = shown().split('\n').filter(Boolean);
    assert.ok(lines.some((l) => l.includes('ticker seq=2499')), `the last line never reached the channel: ${lines.slice(-3).join(' | ')}`);
    assert.ok(lines.length <= 1_000, `${lines.length} lines held`);
    assert.match(lines[0], /──── .* (\d+) earlier lines cleared \(wabaCluster\.logs\.maxLines is 1000\)\. "WABA: Collect Logs into debug_output\.txt" writes the whole log\. ────/);
    const seqs = lines.slice(1).map((l) => Number(/seq=(\d+)/.exec(l)?.[1]));
    assert.deepEqual(seqs, seqs.map((_, i) => 2500 - seqs.length + i), 'every line since the clear, in order');
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
