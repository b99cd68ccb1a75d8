import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ClusterMonitor, ClusterSnapshot } from '../../src/cluster/clusterMonitor';
import { findClusterFolder } from '../../src/compose/clusterFolder';
import { parseComposeCommand } from '../../src/compose/composeCommand';
import { runCompose } from '../../src/compose/composeRunner';
import { runComposeToFile } from '../../src/compose/composeRunner';
import { DockerClient, describeDockerError } from '../../src/docker/dockerClient';
import { ServiceLogTail } from '../../src/docker/logTail';
import { resolveDockerEndpoint } from '../../src/docker/dockerEndpoint';
import { buildTinyImage, removeTinyImage } from '../support/tinyImage';

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
    image = buildTinyImage();
    folder = mkdtempSync(join(tmpdir(), 'wabait'));
    writeFileSync(join(folder, 'multiconnect-compose.yml'), [
      "version: '3'",
      'services:',
      // PID 1 ignores SIGTERM in these containers: stop them at once.
      ...['db', 'master1'].flatMap((s) => [`  ${s}:`, `    image: ${image}`, '    stop_signal: SIGKILL', '    command: ["/bin/sleep", "600"]']),
      '  wacore1:',
      `    image: ${image}`,
      '    stop_signal: SIGKILL',
      // A line a tick on stdout, every fifth on stderr, numbered so lost or repeated lines show ($$: compose's escape).
      '    command: ["/bin/sh", "-c", "i=0; while true; do if [ $$((i % 5)) = 4 ]; then echo tick $$i >&2; else echo tick $$i; fi; i=$$((i+1)); /bin/sleep 0.1; done"]',
      '',
    ].join('\n'));
  });

  after(() => {
    execFileSync('docker-compose', ['-f', 'multiconnect-compose.yml', 'down', '-v', '--remove-orphans'], { cwd: folder, stdio: 'ignore' });
    rmSync(folder, { recursive: true, force: true });
    removeTinyImage();
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

  it('follows a service log across a restart and a re-creation, without losing or repeating lines', async () => {
    const cluster = findClusterFolder([folder], {})!;
    assert.equal((await runCompose(compose, cluster, { verb: 'up' }, () => undefined)).exitCode, 0);
    const docker = new DockerClient(resolveDockerEndpoint(undefined));
    const container = (await docker.listProjectContainers(cluster.project)).find((c) => c.service === 'wacore1')!;
    const lines: string[] = [];
    const notices: string[] = [];
    const tail = new ServiceLogTail(docker, cluster.project, 'wacore1', { line: (l) => lines.push(`${l.source} ${l.text}`), notice: (n) => notices.push(n) }, { tail: 5 });
    const until = async (what: string, check: () => boolean): Promise<void> => {
      for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(check(), `${what}; lines: ${lines.slice(-5).join(' | ')}; notices: ${notices.join(' | ')}`);
    };
    try {
      await tail.start(container.id);
      await until('ticks arrive', () => lines.length >= 10);
      assert.ok(lines.some((l) => /^stderr tick \d*4$/.test(l)), 'stderr lines are shown too');

      execFileSync('docker', ['restart', '-t', '0', container.id], { stdio: 'ignore' });
      await until('the tail re-attaches after a restart', () => notices.some((n) => /started again/.test(n)));
      const afterRestart = lines.length;
      await until('new ticks after the restart', () => lines.slice(afterRestart).some((l) => / tick 3$/.test(l)));
      // The restarted shell counts from 0 again; every line is shown once.
      const counts = new Map<string, number>();
      for (const l of lines) counts.set(l, (counts.get(l) ?? 0) + 1);
      assert.ok([...counts.values()].every((n) => n <= 2), 'no line repeated by the re-attach');

      execFileSync('docker-compose', ['-f', 'multiconnect-compose.yml', 'up', '-d', '--force-recreate', 'wacore1'], { cwd: folder, stdio: 'ignore' });
      await until('the tail follows the re-created container', () => notices.some((n) => /new container/.test(n)));
    } finally {
      tail.stop();
    }
  });

  it('collects every service log into debug_output.txt like `docker-compose logs > debug_output.txt`', async () => {
    const cluster = findClusterFolder([folder], {})!;
    const file = join(folder, 'debug_output.txt');
    const result = await runComposeToFile(compose, cluster, { verb: 'logs' }, file, () => undefined);
    assert.equal(result.exitCode, 0);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /wacore1_1 +\| tick \d+/);
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
