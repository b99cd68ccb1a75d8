// The disk under Docker's data root is full: compose's failure and the webapp's say which failed,
// where the disk is full and what to free (the real full disk: test/integration/diskFull.test.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { describeWabaFailure } from '../../src/api/wabaError';
import { ClusterCompose, type ComposeCall } from '../../src/compose/clusterCompose';
import { readDataRoot } from '../../src/docker/dataRoot';

const call = { command: { file: 'docker', prefix: ['compose'], project: 'biz', label: 'docker compose' } } as unknown as ComposeCall;

describe('A full disk under Docker\'s data root', () => {
  it("compose's failure names the call, the data root with what is free there, and what to free", async () => {
    let asked = 0;
    const compose = new ClusterCompose({
      folder: () => undefined, composeCli: async () => { throw new Error('unused'); }, engineEnv: () => ({}),
      dataRoot: async () => { asked++; return { dir: '/var/lib/docker', freeBytes: 12 * 1024 }; },
    });
    const lines = [' Network biz_default  Creating', 'failed to create network biz_default: Error response from daemon: write /var/lib/docker/network/files/local-kv.db: no space left on device'];
    const message = await compose.diskFull({ exitCode: 1, lastLines: lines, call }, { verb: 'up' });
    assert.equal(message, "docker compose up failed: no space left on device. The disk under Docker's data root /var/lib/docker is full, 12 KB free. Free space on it, then try again: `docker system df` shows what Docker keeps there, `docker system prune` removes stopped containers, unused networks, dangling images and the build cache, and `df -h /var/lib/docker` shows the disk. Keep the volumes: the cluster's database is one of them.");
    assert.equal(await compose.diskFull({ exitCode: 1, lastLines: ['manifest for docker.whatsapp.biz/web:v9 not found'], call }, { verb: 'up' }), undefined, 'another failure: no advice');
    assert.equal(await compose.diskFull({ exitCode: 0, lastLines: ['no space left on device (an old log line)'], call }, { verb: 'up' }), undefined, 'a call that succeeded');
    assert.equal(asked, 1, 'the engine is asked only for a full disk');
  });

  it('the data root of an engine on this machine comes with its free space; of a remote one, without', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waba-root-'));
    try {
      const local = await readDataRoot({ dataRoot: async () => dir }, true);
      assert.equal(local.dir, dir);
      assert.ok(typeof local.freeBytes === 'number' && local.freeBytes > 0, `free: ${local.freeBytes}`);
      assert.deepEqual(await readDataRoot({ dataRoot: async () => dir }, false), { dir });
      assert.deepEqual(await readDataRoot({ dataRoot: async () => { throw new Error('engine down'); } }, true), { dir: undefined });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the webapp's error that says so tells the user it is the disk under Docker's data root", () => {
    const message = describeWabaFailure(500, [{ code: 1014, title: 'Internal error', details: 'write /usr/local/wamedia/abc: no space left on device' }], '/v1/media');
    assert.match(message, /^\/v1\/media failed with 1014 Internal error: write \/usr\/local\/wamedia\/abc: no space left on device\. The node could not write: the disk under Docker's data root \(docker info: Docker Root Dir\) is full\. Free space on it/);
    assert.doesNotMatch(describeWabaFailure(500, [{ code: 1014, title: 'Internal error', details: 'Unable to reach wacore1:6250' }], '/v1/messages'), /data root/);
  });
});
