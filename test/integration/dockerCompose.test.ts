import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ClusterMonitor, ClusterSnapshot } from '../../src/cluster/clusterMonitor';
import { findClusterFolder } from '../../src/compose/clusterFolder';
import { parseComposeCommand } from '../../src/compose/composeCommand';
import { runCompose } from '../../src/compose/composeRunner';
import { DockerClient, describeDockerError } from '../../src/docker/dockerClient';
import { resolveDockerEndpoint } from '../../src/docker/dockerEndpoint';
import { buildSleepImage, removeSleepImage } from '../support/sleepImage';

const compose = parseComposeCommand('docker-compose');

function waitFor(monitor: ClusterMonitor, predicate: (s: ClusterSnapshot) => boolean, timeoutMs: number): Promise<ClusterSnapshot> {
  return new Promise((resolve, reject) => {
    if (predicate(monitor.snapshot)) return resolve(monitor.snapshot);
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`timed out; last snapshot: ${JSON.stringify(monitor.snapshot)}`)); }, timeoutMs);
    const sub = monitor.onDidChange((s) => { if (predicate(s)) { clearTimeout(timer); sub.dispose(); resolve(s); } });
  });
}

describe('Docker engine and compose CLI, as the extension drives them', () => {
  let folder: string;
  let image: string;

  before(() => {
    image = buildSleepImage();
    folder = mkdtempSync(join(tmpdir(), 'wabait'));
    writeFileSync(join(folder, 'multiconnect-compose.yml'), [
      "version: '3'",
      'services:',
      ...['db', 'master1', 'wacore1'].flatMap((s) => [`  ${s}:`, `    image: ${image}`, '    command: ["/bin/sleep", "600"]']),
      '',
    ].join('\n'));
  });

  after(() => {
    execFileSync('docker-compose', ['-f', 'multiconnect-compose.yml', 'down', '-v', '--remove-orphans'], { cwd: folder, stdio: 'ignore' });
    rmSync(folder, { recursive: true, force: true });
    removeSleepImage();
  });

  it('finds the cluster folder and its compose project name', () => {
    const cluster = findClusterFolder(['/nonexistent', folder], {});
    assert.equal(cluster?.path, folder);
    assert.equal(cluster?.project, basename(folder).toLowerCase().replace(/[^a-z0-9_-]/g, ''));
  });

  it('starts the stack, sees every container through events, and removes it again', async () => {
    const cluster = findClusterFolder([folder], {})!;
    const monitor = new ClusterMonitor(new DockerClient(resolveDockerEndpoint(undefined)), cluster.project, { describeError: describeDockerError, debounceMs: 100 });
    try {
      monitor.startWatching();
      await waitFor(monitor, (s) => s.kind === 'ready' && s.nodes.length === 0, 10_000);
      const lines: string[] = [];
      const up = await runCompose(compose, cluster, { verb: 'up' }, (l) => lines.push(l));
      assert.equal(up.exitCode, 0, lines.join('\n'));
      const running = await waitFor(monitor, (s) => s.kind === 'ready' && s.nodes.filter((n) => n.state === 'running').length === 3, 20_000);
      assert.deepEqual(running.kind === 'ready' && running.nodes.map((n) => n.service), ['db', 'master1', 'wacore1']);

      const down = await runCompose(compose, cluster, { verb: 'down', removeVolumes: true }, () => undefined);
      assert.equal(down.exitCode, 0);
      await waitFor(monitor, (s) => s.kind === 'ready' && s.nodes.length === 0, 20_000);
    } finally {
      monitor.dispose();
    }
  });

  it('reports a failed compose command with its exit code and last lines', async () => {
    const result = await runCompose(compose, findClusterFolder([folder], {})!, { verb: 'up', services: ['no-such-service'] }, () => undefined);
    assert.notEqual(result.exitCode, 0);
    assert.match(result.lastLines.join('\n'), /no-such-service/);
  });

  it('says which endpoint it tried and why, when the engine is not there', async () => {
    const client = new DockerClient(resolveDockerEndpoint('unix:///nonexistent/docker.sock'));
    const monitor = new ClusterMonitor(client, 'biz', { describeError: describeDockerError });
    const snapshot = await monitor.refresh();
    assert.equal(snapshot.kind, 'dockerUnreachable');
    assert.match(snapshot.kind === 'dockerUnreachable' ? snapshot.message : '', /^Docker is not reachable at unix:\/\/\/nonexistent\/docker\.sock: the socket does not exist\./);
  });
});
