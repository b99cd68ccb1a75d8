// Live configuration in a running window (WABA_SUITE=cluster,liveConfig: after the cluster suite, on
// the run's compose CLI): the folder's .env is edited as a user edits it, and without a reload the
// extension reads it, says that the nodes run another version, and Start Cluster re-creates every
// node on the version .env now says (compose reads .env itself: the extension forces no version).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import * as vscode from 'vscode';
import { until } from './clusterSteps';
import { activateExtension, workspaceProjectName, type WabaClusterApi } from './support';

const [OLD, NEW] = ['2.51.2', '2.53.1'];

(process.env.WABA_SUITE?.split(',').includes('liveConfig') ? describe : describe.skip)('Live configuration: .env edited in the running window', function () {
  this.timeout(240_000);
  const docker = new Docker();
  const project = workspaceProjectName();
  let api: WabaClusterApi;
  let folder: string;

  /** WA_API_VERSION of the folder's .env set as a user edits the file (the rest of it kept). */
  const setVersion = (version: string) => {
    const file = join(folder, '.env');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^WA_API_VERSION=.*$/m, `WA_API_VERSION=${version}`));
  };
  /** The image version of every node that runs Meta's versioned images (all but db). */
  const nodeVersions = async () => (await docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${project}`] } }))
    .filter((c) => c.Labels['com.docker.compose.service'] !== 'db')
    .map((c) => `${c.Labels['com.docker.compose.service']} ${/:v([\d.]+)$/.exec(c.Image)?.[1] ?? c.Image}`).sort();

  before(async () => {
    ({ api } = await activateExtension());
    folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    // A fresh cluster (a terminal's down -v, with this run's CLI), so each version starts on its own data.
    const [cli, ...prefix] = (process.env.WABA_COMPOSE || 'docker compose').split(' ');
    execFileSync(cli, [...prefix, 'down', '-v', '-t', '2'], { cwd: folder, stdio: 'ignore' });
  });

  it('runs the compose CLI of the machine setting of this run', async () => {
    const want = process.env.WABA_COMPOSE === 'docker-compose' ? /^docker-compose 1\.\S+ \(v1\)$/ : /^docker compose 2\.\S+ \(v2\)$/;
    assert.match(api.workspace().compose, want);
  });

  it(`starts every node on the version .env says (${OLD}), read since the file changed`, async () => {
    setVersion(OLD);
    await until('the extension to read the new .env', () => api.workspace().apiVersion, (v) => v === OLD, 10_000);
    assert.equal(await vscode.commands.executeCommand('wabaCluster.up'), true);
    const versions = await nodeVersions();
    assert.ok(versions.length >= 6 && versions.every((v) => v.endsWith(` ${OLD}`)), versions.join(', '));
  });

  it(`says the nodes run ${OLD} while .env says ${NEW}; Start Cluster re-creates every node on ${NEW}`, async () => {
    setVersion(NEW);
    const message = `running v${OLD}, .env says v${NEW} — Start to upgrade`;
    await until('the view to say the nodes run another version', () => api.visible(), (v) => v.viewMessage === message, 15_000);
    assert.equal(api.visible().statusBar?.text, `$(versions) WABA: ${message}`);
    assert.equal(await vscode.commands.executeCommand('wabaCluster.up'), true);
    const versions = await nodeVersions();
    assert.ok(versions.length >= 6 && versions.every((v) => v.endsWith(` ${NEW}`)), `no node left on ${OLD}: ${versions.join(', ')}`);
    await until('the version note to go', () => api.visible(), (v) => v.viewMessage === undefined, 15_000);
  });
});
