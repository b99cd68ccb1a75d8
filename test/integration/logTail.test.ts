// A log tail across a restart of the Docker daemon itself: a second real engine started with
// --live-restore (the container keeps running while dockerd is down), restarted mid-stream.
// The main engine is never restarted: other people use it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClusterMonitor, ClusterSnapshot } from '../../src/cluster/clusterMonitor';
import { COMPOSE_PROJECT_LABEL, DockerClient, describeDockerError } from '../../src/docker/dockerClient';
import { parseDockerHost } from '../../src/docker/dockerEndpoint';
import { LogTailSet, ServiceLogSink } from '../../src/docker/logTailSet';
import { SecondEngine, startSecondEngine } from '../support/secondEngine';
import { TINY_IMAGE, buildTinyImage } from '../support/tinyImage';

const PROJECT = 'biz';

/** What an output channel would hold: the lines, and the tail's own notices apart. */
class RecordingSink implements ServiceLogSink {
  readonly lines: string[] = [];
  readonly sources: string[] = [];
  readonly notices: string[] = [];
  line(l: { source: string; text: string }): void { this.lines.push(l.text); this.sources.push(l.source); }
  notice(text: string): void { this.notices.push(text); }
  reveal(): void { /* nothing to show */ }
  dispose(): void { /* nothing to close */ }
}

describe('Log tail across a Docker daemon restart (second engine, --live-restore)', () => {
  let engine: SecondEngine;
  let docker: DockerClient;

  before(async () => {
    engine = await startSecondEngine({ liveRestore: true });
    buildTinyImage(engine.socketHost);
    docker = new DockerClient(parseDockerHost(engine.socketHost), { why: 'test' });
  });

  after(async () => {
    docker?.dispose();
    await engine?.stop();
  });

  it('shows every number of a running sequence exactly once, and the tree comes back by itself', async () => {
    // 20 numbered lines a second, every fifth on stderr.
    const script = 'i=0; while true; do if [ $((i % 5)) = 4 ]; then echo $i >&2; else echo $i; fi; i=$((i+1)); sleep 0.05; done';
    const id = engine.docker('run', '-d', '--name', 'biz_wacore1_1', '--label', `${COMPOSE_PROJECT_LABEL}=${PROJECT}`, '--label', 'com.docker.compose.service=wacore1', TINY_IMAGE, '/bin/sh', '-c', script).trim();
    const sink = new RecordingSink();
    const tails = new LogTailSet(docker, PROJECT, () => sink, { retryDelayMs: () => 200 });
    const monitor = new ClusterMonitor(docker, PROJECT, { describeError: describeDockerError, debounceMs: 50 });
    const kinds: string[] = [];
    monitor.onDidChange((s: ClusterSnapshot) => { if (kinds.at(-1) !== s.kind) kinds.push(s.kind); });
    const numbers = () => sink.lines.map(Number);
    try {
      monitor.startWatching();
      await tails.show('wacore1', id);
      await waitFor('40 numbers before the restart', () => sink.lines.length >= 40, sink);
      const beforeRestart = sink.lines.length;
      const started = Date.now();
      // Down for 3 s, as a restart by systemd or Docker Desktop is: long enough that the tree must say so.
      await engine.restart(3_000);
      const restartMs = Date.now() - started;
      const last = () => numbers().at(-1) ?? -1;
      await waitFor('the tail resumes and runs 40 numbers past the restart', () => sink.lines.length > beforeRestart && last() >= numbers()[beforeRestart - 1] + 40 + restartMs / 50, sink, 30_000);

      const seen = numbers();
      const max = Math.max(...seen);
      const counts = new Map<number, number>();
      for (const n of seen) counts.set(n, (counts.get(n) ?? 0) + 1);
      const lost = Array.from({ length: max + 1 }, (_, n) => n).filter((n) => !counts.has(n));
      const repeated = [...counts].filter(([, c]) => c > 1).map(([n]) => n);
      assert.deepEqual({ lost, repeated }, { lost: [], repeated: [] }, `every number 0..${max} exactly once: ${seen.join(',')}`);
      // Lines written while dockerd was down wait in the stdout and stderr pipes apart, and Docker
      // reads those back one pipe after the other: each stream keeps its own order (as in `docker logs`).
      for (const source of ['stdout', 'stderr'] as const) {
        const ofSource = sink.lines.filter((_, i) => sink.sources[i] === source).map(Number);
        assert.ok(ofSource.every((n, i) => i === 0 || n > ofSource[i - 1]), `${source} in order: ${ofSource.join(',')}`);
      }
      assert.ok(sink.notices.some((n) => /^Docker answers again/.test(n)), `resumed by itself; notices: ${sink.notices.join(' | ')}`);
      await waitFor('the tree is back to the running container', () => monitor.snapshot.kind === 'ready' && monitor.snapshot.nodes[0]?.state === 'running', sink);
      assert.ok(kinds.includes('dockerUnreachable'), `the tree showed the engine gone while it restarted: ${kinds.join(' → ')}`);
      console.log(`daemon restart took ${restartMs} ms; ${seen.length} lines, none lost or repeated`);
    } finally {
      monitor.dispose();
      tails.dispose();
    }
  });
});

async function waitFor(what: string, check: () => boolean, sink: RecordingSink, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}; last lines ${sink.lines.slice(-5).join(',')}; notices: ${sink.notices.join(' | ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
