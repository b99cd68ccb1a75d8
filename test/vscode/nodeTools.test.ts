// A node's shell, the database console and Inspect on the emulated cluster (WABA_SUITE=nodeTools),
// through the commands a user clicks in the Cluster Nodes view. Keys go in with sendText (as typed);
// what the terminal shows is read from the extension's test probe (its Pseudoterminal's output).
// Then the project's lifecycle: every node stopped and started without removing anything, several
// selected nodes at once, Recreate.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import Docker from 'dockerode';
import * as vscode from 'vscode';
import { until } from './clusterSteps';
import { activateExtension, describeItems, refreshUntil, workspaceProjectName, type TreeItemSnapshot, type WabaClusterApi } from './support';

(process.env.WABA_SUITE?.split(',').includes('nodeTools') ? describe : describe.skip)('Node tools: shell, database console, inspect', function () {
  this.timeout(180_000);
  const docker = new Docker();
  let api: WabaClusterApi;
  let items: TreeItemSnapshot[];
  /** What each terminal has shown so far, by terminal name. */
  const shown = new Map<string, string>();
  let probe: { dispose(): void };
  const project = workspaceProjectName();
  const row = (label: string) => items.find((i) => i.label === label)!;
  /** service → container id and state, as Docker has them. */
  const containers = async () => new Map((await docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${project}`] } }))
    .map((c) => [c.Labels['com.docker.compose.service'], { id: c.Id, state: c.State }]));
  /** Runs a program in a container (as `docker exec`): its output and exit code. */
  const runIn = async (id: string, cmd: string[], env: string[] = []): Promise<{ output: string; exitCode: number | null }> => {
    const exec = await docker.getContainer(id).exec({ Cmd: cmd, Env: env, AttachStdout: true, AttachStderr: true });
    const output = await new Promise<string>((resolve, reject) => exec.start({}, (err, stream) => {
      if (err || !stream) { reject(err); return; }
      let out = '';
      stream.on('data', (c: Buffer) => { out += c.toString('latin1'); });
      stream.on('end', () => resolve(out));
    }));
    return { output, exitCode: (await exec.inspect()).ExitCode };
  };
  const statesOf = (m: Map<string, { state: string }>) => Object.fromEntries([...m].map(([service, c]) => [service, c.state]));
  const screenOf = (name: string) => () => shown.get(name) ?? '';

  before(async () => {
    ({ api } = await activateExtension());
    probe = api.probe((e) => { if (e.kind === 'terminalOutput') shown.set(e.terminal, (shown.get(e.terminal) ?? '') + e.text); });
    assert.equal(await vscode.commands.executeCommand('wabaCluster.up'), true);
    items = await refreshUntil(api, (i) => i.filter((n) => /running/.test(n.description ?? '') || n.contextValue === 'runningContainer').length === 7, 120_000);
    assert.equal(items.filter((n) => n.contextValue === 'runningContainer').length, 7, describeItems(items));
  });
  after(() => {
    probe?.dispose();
    for (const t of vscode.window.terminals) t.dispose();
  });

  it('Open Shell: a command typed into the shell of wacore1 runs in that node and its output shows', async () => {
    const name = await vscode.commands.executeCommand<string>('wabaCluster.openShell', row('wacore1'));
    assert.equal(name, 'wacore1: bash');
    const terminal = await until('the terminal', () => vscode.window.terminals.find((t) => t.name === name), (t) => t !== undefined, 10_000);
    await until('the bash prompt', screenOf(name), (s) => /[$#] $/.test(s), 15_000);
    terminal!.sendText('echo "in $(hostname): $((6 * 7))"');
    const hostname = (await docker.getContainer(row('wacore1').id!).inspect()).Config.Hostname;
    await until('the command output', screenOf(name), (s) => s.includes(`in ${hostname}: 42`), 15_000);
    const closed = new Promise<number | undefined>((resolve) => vscode.window.onDidCloseTerminal((t) => { if (t === terminal) resolve(t.exitStatus?.code); }));
    terminal!.sendText('exit');
    assert.equal(await closed, 0, 'exit closes the terminal');
  });

  it('Open Shell: when the node stops under the shell, the terminal says so', async () => {
    const name = await vscode.commands.executeCommand<string>('wabaCluster.openShell', row('wacore3'));
    await until('the bash prompt', screenOf(name), (s) => /[$#] $/.test(s), 15_000);
    const container = docker.getContainer(row('wacore3').id!);
    try {
      await container.stop({ t: 2 });
      await until('the terminal to say the node stopped', screenOf(name), (s) => /wacore3 stopped under the terminal: bash ended with it/.test(s), 20_000);
    } finally {
      await container.start().catch(() => undefined);
    }
  });

  it('Open Shell on a stopped node says to start it first, and opens no terminal', async () => {
    const container = docker.getContainer(row('wacore2').id!);
    await container.stop({ t: 2 });
    try {
      const stopped = await refreshUntil(api, (i) => i.find((n) => n.label === 'wacore2')?.contextValue === 'exitedContainer');
      const before = vscode.window.terminals.length;
      assert.equal(await vscode.commands.executeCommand('wabaCluster.openShell', stopped.find((n) => n.label === 'wacore2')), undefined);
      assert.equal(vscode.window.terminals.length, before);
    } finally {
      await container.start();
    }
  });

  it('Database Console: SELECT runs in the db node with the db.env credentials, the password on no command line', async () => {
    // A fresh cluster's database may still be starting (the console would say "Can't connect", as the nodes wait too).
    await until('the database to accept connections', () => runIn(row('db').id!, ['mysqladmin', '--host=db', '--user=root', 'ping'], ['MYSQL_PWD=testpass']), (r) => r.exitCode === 0, 60_000);
    const name = await vscode.commands.executeCommand<string>('wabaCluster.openDbConsole');
    assert.equal(name, 'db: mysql');
    const terminal = vscode.window.terminals.find((t) => t.name === name)!;
    await until('the mysql prompt', screenOf(name), (s) => /> $/.test(s), 20_000);
    terminal.sendText('SELECT 1 + 41 AS answer, CURRENT_USER() AS who;');
    await until('the query result', screenOf(name), (s) => /\|\s+42 \|\s+root@%?\S*\s+\|/.test(s), 15_000);
    // While the console runs: no process line in the db node or on this machine holds the password.
    const psInDb = (await runIn(row('db').id!, ['ps', '-eo', 'args'])).output;
    assert.match(psInDb, /mysql --host=db --port=3306 --user=root/, 'the console runs in the db node');
    assert.doesNotMatch(psInDb, /testpass/);
    assert.doesNotMatch(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }), /testpass/);
    assert.doesNotMatch(name, /testpass/);
    const closed = new Promise<number | undefined>((resolve) => vscode.window.onDidCloseTerminal((t) => { if (t === terminal) resolve(t.exitStatus?.code); }));
    terminal.sendText('exit');
    assert.equal(await closed, 0);
  });

  it('Inspect: the container JSON in a read-only editor, secrets in the environment masked', async () => {
    const uri = await vscode.commands.executeCommand<string>('wabaCluster.inspectNode', row('wacore1'));
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri)!;
    assert.equal(document.languageId, 'json');
    assert.equal(vscode.window.activeTextEditor?.document, document);
    const inspect = JSON.parse(document.getText()) as { Id: string; Config: { Env: string[] } };
    assert.equal(inspect.Id, row('wacore1').id);
    assert.ok(inspect.Config.Env.includes('WA_DB_PASSWORD=********'), inspect.Config.Env.join(' '));
    assert.ok(inspect.Config.Env.includes('WA_DB_HOSTNAME=db'), 'other variables as they are');
    assert.doesNotMatch(document.getText(), /testpass/);
    const dbUri = await vscode.commands.executeCommand<string>('wabaCluster.inspectNode', row('db'));
    const dbText = vscode.workspace.textDocuments.find((d) => d.uri.toString() === dbUri)!.getText();
    assert.match(dbText, /"MYSQL_ROOT_PASSWORD=\*{8}"/);
    assert.doesNotMatch(dbText, /testpass/);
  });

  it('Stop All Nodes keeps every container and volume; Start All Nodes brings the same containers back', async () => {
    const before = await containers();
    assert.equal(before.size, 7);
    assert.equal(await vscode.commands.executeCommand('wabaCluster.stopProject'), true);
    const stopped = await containers();
    assert.deepEqual([...stopped.keys()].sort(), [...before.keys()].sort(), 'no container removed');
    assert.ok([...stopped.values()].every((c) => c.state === 'exited'), JSON.stringify(statesOf(stopped)));
    for (const [service, c] of stopped) assert.equal(c.id, before.get(service)!.id, `${service} is the same container`);
    const volumes = (await docker.listVolumes({ filters: { label: [`com.docker.compose.project=${project}`] } })).Volumes.map((v) => v.Name).sort();
    assert.deepEqual(volumes, [`${project}_mysqlData`, `${project}_whatsappMedia`]);
    await refreshUntil(api, (i) => i.every((n) => n.contextValue === 'exitedContainer'));
    assert.equal(await vscode.commands.executeCommand('wabaCluster.startProject'), true);
    const started = await containers();
    assert.ok([...started.values()].every((c) => c.state === 'running'), JSON.stringify(statesOf(started)));
    for (const [service, c] of started) assert.equal(c.id, before.get(service)!.id, `${service} is the same container`);
    items = await refreshUntil(api, (i) => i.filter((n) => n.contextValue === 'runningContainer').length === 7);
  });

  it('several nodes selected in the tree: Stop Service stops both and only them, Start Service starts both', async () => {
    const selected = [row('wacore1'), row('wacore2')];
    assert.equal(await vscode.commands.executeCommand('wabaCluster.stopService', selected[0], selected), true);
    const states = statesOf(await containers());
    assert.deepEqual(states, { db: 'running', waweb: 'running', master1: 'running', master2: 'running', wacore1: 'exited', wacore2: 'exited', wacore3: 'running' });
    assert.equal(await vscode.commands.executeCommand('wabaCluster.startService', selected[0], selected), true);
    assert.ok(Object.values(statesOf(await containers())).every((s) => s === 'running'));
    // A right-click outside the selection acts on the clicked node only (as VS Code passes it).
    assert.equal(await vscode.commands.executeCommand('wabaCluster.stopService', row('wacore3'), selected), true);
    assert.deepEqual(Object.entries(statesOf(await containers())).filter(([, s]) => s !== 'running'), [['wacore3', 'exited']]);
    assert.equal(await vscode.commands.executeCommand('wabaCluster.startService', row('wacore3')), true);
  });

  it('Recreate: new containers for the selected nodes, the others untouched', async () => {
    const before = await containers();
    const selected = [row('wacore3'), row('master2')];
    assert.equal(await vscode.commands.executeCommand('wabaCluster.recreateService', selected[0], selected), true);
    const after = await containers();
    for (const service of ['wacore3', 'master2']) assert.notEqual(after.get(service)!.id, before.get(service)!.id, `${service} was re-created`);
    for (const service of ['db', 'waweb', 'master1', 'wacore1', 'wacore2']) assert.equal(after.get(service)!.id, before.get(service)!.id, `${service} was kept`);
    assert.ok([...after.values()].every((c) => c.state === 'running'), JSON.stringify(statesOf(after)));
  });
});
