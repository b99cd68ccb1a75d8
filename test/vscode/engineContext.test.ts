// The engine in use, named in the status bar, and a Docker context picked for this workspace only:
// the tree follows the pick at once; nothing is written to the settings or the docker config
// (`docker context use` would change every terminal of the machine).
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, describeItems, refreshUntil, type WabaClusterApi } from './support';

(process.env.WABA_SUITE ? describe.skip : describe)('The Docker engine of this workspace', function () {
  this.timeout(60_000);
  let api: WabaClusterApi;
  const configDir = process.env.DOCKER_CONFIG || join(homedir(), '.docker');
  const metaDir = join(configDir, 'contexts', 'meta', createHash('sha256').update('elsewhere').digest('hex'));
  const automatic = process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
  const dockerConfig = () => { try { return readFileSync(join(configDir, 'config.json'), 'utf8'); } catch { return undefined; } };
  let configBefore: string | undefined;

  before(async () => {
    ({ api } = await activateExtension());
    configBefore = dockerConfig();
    // A context as `docker context create elsewhere --docker host=…` stores it.
    mkdirSync(metaDir, { recursive: true });
    writeFileSync(join(metaDir, 'meta.json'), JSON.stringify({ Name: 'elsewhere', Metadata: { Description: 'a test engine' }, Endpoints: { docker: { Host: 'unix:///nonexistent/elsewhere.sock', SkipTLSVerify: false } } }));
  });
  after(async () => {
    await vscode.commands.executeCommand('wabaCluster.pickDockerContext', '');
    rmSync(metaDir, { recursive: true, force: true });
  });

  it('names the engine in use in the status bar', () => {
    assert.equal(api.visible().engineBar?.text, `$(server-environment) ${automatic}`);
  });

  it('a context picked for this workspace: the status bar names it and the tree reads that engine; settings and docker config untouched', async () => {
    assert.equal(await vscode.commands.executeCommand('wabaCluster.pickDockerContext', 'elsewhere'), 'unix:///nonexistent/elsewhere.sock');
    assert.equal(api.visible().engineBar?.text, '$(server-environment) elsewhere');
    assert.match(api.visible().engineBar?.tooltip ?? '', /unix:\/\/\/nonexistent\/elsewhere\.sock \(context `elsewhere`, picked for this workspace\)/);
    const items = await refreshUntil(api, (i) => i.some((n) => n.contextValue === 'dockerUnreachable' && n.label.includes('/nonexistent/elsewhere.sock')));
    assert.ok(items.some((n) => n.contextValue === 'dockerUnreachable' && n.label.includes('/nonexistent/elsewhere.sock')), describeItems(items));
    const setting = vscode.workspace.getConfiguration('wabaCluster').inspect('dockerHost');
    assert.deepEqual([setting?.globalValue, setting?.workspaceValue, setting?.workspaceFolderValue], [undefined, undefined, undefined]);
    assert.equal(dockerConfig(), configBefore, 'the docker config (its currentContext) as it was');
  });

  it('back to Automatic: the engine the docker CLI would use', async () => {
    assert.equal(await vscode.commands.executeCommand('wabaCluster.pickDockerContext', ''), automatic);
    assert.equal(api.visible().engineBar?.text, `$(server-environment) ${automatic}`);
    const items = await refreshUntil(api, (i) => !i.some((n) => n.label.includes('/nonexistent/elsewhere.sock')));
    assert.ok(!items.some((n) => n.label.includes('/nonexistent/elsewhere.sock')), describeItems(items));
  });
});
