// A hung engine: a unix socket that accepts connections and never answers (as a wedged dockerd
// does). The tree must say so within seconds, commands must fail with that message, and nothing
// may hang or leak connections.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { Server, Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ClusterMonitor } from '../../src/cluster/clusterMonitor';
import { DockerClient, describeDockerError } from '../../src/docker/dockerClient';
import { LogTailSet } from '../../src/docker/logTailSet';
import { rowsForSnapshot } from '../../src/views/nodeRows';

describe('A hung Docker engine (accepts, never answers)', () => {
  let dir: string;
  let server: Server;
  const open = new Set<Socket>();
  let mostOpen = 0;
  let accepted = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'waba-hung-'));
    server = createServer((socket) => {
      accepted++;
      open.add(socket);
      mostOpen = Math.max(mostOpen, open.size);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => undefined);
      socket.resume(); // reads the requests (and so sees the client hang up), answers nothing
    });
    await new Promise<void>((resolve) => server.listen(join(dir, 'hung.sock'), resolve));
  });

  after(async () => {
    for (const s of open) s.destroy();
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows "Docker is not answering" in the tree within seconds; commands fail with it; nothing hangs or leaks', { timeout: 30_000 }, async () => {
    const endpoint = `unix://${join(dir, 'hung.sock')}`;
    const docker = new DockerClient({ kind: 'unix', socketPath: join(dir, 'hung.sock') }, { why: 'DOCKER_HOST' });
    const monitor = new ClusterMonitor(docker, 'biz', { describeError: describeDockerError });
    const tails = new LogTailSet(docker, 'biz', () => ({ line: () => undefined, notice: () => undefined, reveal: () => undefined, dispose: () => undefined }));
    const started = Date.now();
    try {
      monitor.startWatching();
      const shown = new Promise<number>((resolve) => {
        const sub = monitor.onDidChange((s) => { if (s.kind === 'dockerUnreachable') { sub.dispose(); resolve(Date.now() - started); } });
      });
      // What the commands do first (Tail Logs, Connect, Upgrade read the containers; Tail Logs opens a log),
      // all at once while the engine hangs.
      const outcomes = await Promise.all([
        monitor.refresh(),
        tails.show('wacore1', 'abc123').then(() => 'opened', (e: unknown) => describeDockerError(e, docker.endpointDescription)),
        docker.removeContainer('abc123').then(() => 'removed', (e: unknown) => describeDockerError(e, docker.endpointDescription)),
        shown,
      ]);
      const settledMs = Date.now() - started;
      const [snapshot, tailOutcome, removeOutcome, shownMs] = outcomes;
      const expected = new RegExp(`^Docker is not answering at ${endpoint.replace(/[./]/g, '\\$&')} \\(no answer within 5 s\\)\\.`);
      assert.equal(snapshot.kind, 'dockerUnreachable');
      const row = rowsForSnapshot(snapshot)[0];
      assert.match(row.label, expected);
      assert.match(row.tooltip ?? '', /\nDocker: unix:\/\/.*hung\.sock \(DOCKER_HOST\)$/);
      assert.match(String(tailOutcome), expected);
      assert.match(String(removeOutcome), expected);
      assert.ok(shownMs < 8_000, `the tree said so after ${shownMs} ms`);
      assert.ok(settledMs < 8_000, `every call settled after ${settledMs} ms`);
      assert.deepEqual(tails.services, [], 'a tail that could not open is not kept');
      console.log(`hung engine: tree message after ${shownMs} ms, every call settled after ${settledMs} ms`);
    } finally {
      monitor.dispose();
      tails.dispose();
      docker.dispose();
    }
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(open.size, 0, 'no connection left open after dispose');
    assert.ok(mostOpen <= 6, `connections open at once: ${mostOpen} (of ${accepted})`);
  });
});
