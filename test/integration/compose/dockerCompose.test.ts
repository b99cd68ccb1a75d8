import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
// Runs once per compose CLI (scripts/test.mjs: WABA_COMPOSE), through the extension's ClusterCompose.
import { ClusterMonitor, ClusterSnapshot } from '../../../src/cluster/clusterMonitor';
import type { ClusterCompose } from '../../../src/compose/clusterCompose';
import { findClusterFolder } from '../../../src/compose/clusterFolder';
import type { ComposeCli } from '../../../src/compose/composeCli';
import { DockerClient, describeDockerError } from '../../../src/docker/dockerClient';
import { ServiceLogTail } from '../../../src/docker/logTail';
import { resolveDockerEndpoint } from '../../../src/docker/dockerEndpoint';
import { composeFor, matrixCli } from '../../support/composeMatrix';
import { buildTinyImage, removeTinyImage } from '../../support/tinyImage';

function waitFor(monitor: ClusterMonitor, predicate: (s: ClusterSnapshot) => boolean, timeoutMs: number): Promise<ClusterSnapshot> {
  return new Promise((resolve, reject) => {
    if (predicate(monitor.snapshot)) return resolve(monitor.snapshot);
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`timed out; last snapshot: ${JSON.stringify(monitor.snapshot)}`)); }, timeoutMs);
    const sub = monitor.onDidChange((s) => { if (predicate(s)) { clearTimeout(timer); sub.dispose(); resolve(s); } });
  });
}

describe(`Docker engine and compose CLI (${process.env.WABA_COMPOSE || 'docker compose'}), as the extension drives them`, () => {
  let folder: string;
  let image: string;
  let cli: ComposeCli;
  let compose: ClusterCompose;
  const quiet = () => undefined;

  before(async () => {
    cli = await matrixCli();
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
    compose = composeFor(folder, cli);
  });

  after(async () => {
    await compose.run({ verb: 'down', removeVolumes: true }, quiet).catch(() => undefined);
    rmSync(folder, { recursive: true, force: true });
    removeTinyImage();
  });

  it('finds the cluster folder and its compose project name', () => {
    const cluster = findClusterFolder(['/nonexistent', folder], {}, cli.flavor);
    assert.equal(cluster?.path, folder);
    assert.equal(cluster?.project, basename(folder).toLowerCase().replace(/[^a-z0-9_-]/g, ''));
  });

  it('starts the stack, sees every container through events, and removes it again', async () => {
    const cluster = findClusterFolder([folder], {}, cli.flavor)!;
    const monitor = new ClusterMonitor(new DockerClient(resolveDockerEndpoint(undefined)), cluster.project, { describeError: describeDockerError, debounceMs: 100 });
    try {
      monitor.startWatching();
      await waitFor(monitor, (s) => s.kind === 'ready' && s.nodes.length === 0, 10_000);
      const lines: string[] = [];
      const up = await compose.run({ verb: 'up' }, (l) => lines.push(l));
      assert.equal(up.exitCode, 0, lines.join('\n'));
      const running = await waitFor(monitor, (s) => s.kind === 'ready' && s.nodes.filter((n) => n.state === 'running').length === 3, 20_000);
      assert.deepEqual(running.kind === 'ready' && running.nodes.map((n) => n.service), ['db', 'master1', 'wacore1']);

      const down = await compose.run({ verb: 'down', removeVolumes: true }, quiet);
      assert.equal(down.exitCode, 0);
      await waitFor(monitor, (s) => s.kind === 'ready' && s.nodes.length === 0, 20_000);
    } finally {
      monitor.dispose();
    }
  });

  it('follows a service log across a restart and a re-creation, without losing or repeating lines', async () => {
    const cluster = findClusterFolder([folder], {}, cli.flavor)!;
    assert.equal((await compose.run({ verb: 'up' }, quiet)).exitCode, 0);
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

      // As a user would in a terminal in the folder (no -p): the same project, so the tail follows it.
      execFileSync(cli.file, [...cli.prefix, '-f', 'multiconnect-compose.yml', 'up', '-d', '--force-recreate', 'wacore1'], { cwd: folder, stdio: 'ignore' });
      await until('the tail follows the re-created container', () => notices.some((n) => /new container/.test(n)));
    } finally {
      tail.stop();
    }
  });

  it('collects every service log into debug_output.txt like `docker-compose logs > debug_output.txt`', async () => {
    const file = join(folder, 'debug_output.txt');
    const result = await compose.run({ verb: 'logs' }, quiet, { stdoutFile: file });
    assert.equal(result.exitCode, 0);
    const text = readFileSync(file, 'utf8');
    // v1 prefixes "wacore1_1 |", v2 "wacore1-1 |".
    assert.match(text, cli.flavor === 'v1' ? /^wacore1_1 +\| tick \d+/m : /^wacore1-1 +\| tick \d+/m);
  });

  it('reports a failed compose command with its exit code and last lines', async () => {
    const result = await compose.run({ verb: 'up', services: ['no-such-service'] }, quiet);
    assert.notEqual(result.exitCode, 0);
    assert.match(result.lastLines.join('\n'), /no such service: no-such-service/i);
    await assert.rejects(compose.run({ verb: 'kill', services: ['--remove-orphans'] }, quiet), /"--remove-orphans" is not a service name/);
  });

  it('says which endpoint it tried and why, when the engine is not there', async () => {
    const client = new DockerClient(resolveDockerEndpoint('unix:///nonexistent/docker.sock'));
    const monitor = new ClusterMonitor(client, 'biz', { describeError: describeDockerError });
    const snapshot = await monitor.refresh();
    assert.equal(snapshot.kind, 'dockerUnreachable');
    assert.match(snapshot.kind === 'dockerUnreachable' ? snapshot.message : '', /^Docker is not reachable at unix:\/\/\/nonexistent\/docker\.sock: the socket does not exist\./);
  });
});
