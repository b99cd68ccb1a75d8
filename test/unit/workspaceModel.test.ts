// The workspace model with fakes of its ports (folders, settings, trust, the compose probe, the
// watcher) over a real folder: one change event per change, the compose CLI asked only when the
// setting or trust changes, never in Restricted Mode, and the project name by the answering CLI's rules.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import type { Probe } from '../../src/compose/composeCli';
import { WabaSettings, WorkspaceChange, WorkspaceModel, WorkspacePorts } from '../../src/workspace/workspaceModel';

function fakePorts(folder: string) {
  let onChange: () => void = () => undefined;
  const probes: string[] = [];
  const ports = {
    trusted: true,
    settings: { composeCommand: 'auto', dockerHost: '', healthPollSeconds: 5 } as WabaSettings,
    installed: { 'docker compose version --short': '2.26.1-4\n', 'docker-compose version --short': '1.29.2\n' } as Record<string, string>,
    probes,
    /** What VS Code's watcher does after a file, setting or trust change. */
    fire: () => onChange(),
  };
  const probe: Probe = async (file, args) => {
    const key = [file, ...args].join(' ');
    probes.push(key);
    return ports.installed[key] !== undefined ? { ok: true, stdout: ports.installed[key] } : { ok: false, why: `${file} is not on PATH` };
  };
  const workspacePorts: WorkspacePorts = {
    folders: () => [folder], settings: () => ({ ...ports.settings }), isTrusted: () => ports.trusted, env: {}, probe,
    watch: (listener) => { onChange = listener; return { dispose: () => { onChange = () => undefined; } }; },
  };
  return { ports, workspacePorts };
}

const nextChange = (model: WorkspaceModel) => new Promise<WorkspaceChange>((resolve) => { const s = model.onDidChange((c) => { s.dispose(); resolve(c); }); });

describe('WorkspaceModel', () => {
  const root = mkdtempSync(join(tmpdir(), 'wsmodel-'));
  const folder = join(root, '_Biz');
  let fake: ReturnType<typeof fakePorts>;
  let model: WorkspaceModel;
  after(() => rmSync(root, { recursive: true, force: true }));

  beforeEach(() => {
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder);
    writeFileSync(join(folder, 'multiconnect-compose.yml'), 'services:\n  waweb:\n    image: web:v${WA_API_VERSION}\n');
    writeFileSync(join(folder, '.env'), 'WA_API_VERSION=2.51.2\n');
    fake = fakePorts(folder);
    model?.dispose();
    model = new WorkspaceModel(fake.workspacePorts, 10);
  });

  it('asks for the compose CLI after construction, then names the project by its rules', async () => {
    assert.deepEqual(fake.ports.probes, [], 'nothing is run while activating');
    assert.deepEqual(model.folder?.compose.services, [], 'nor are the compose files parsed');
    const change = nextChange(model);
    await model.reload();
    const { aspects, state } = await change;
    assert.deepEqual([...aspects], ['compose', 'files'], 'v2 rules were assumed until a CLI answered: the project stays; the compose files are read now');
    assert.deepEqual(state.folder?.compose.services.map((s) => s.name), ['waweb']);
    assert.equal(state.compose.kind === 'ready' && state.compose.cli.flavor, 'v2');
    assert.equal(state.folder?.project, 'biz', 'v2 strips the leading "_"');
    assert.deepEqual(fake.ports.probes, ['docker compose version --short']);
  });

  it('follows an edited .env with one change event, without asking the CLI again', async () => {
    await model.reload();
    const change = nextChange(model);
    writeFileSync(join(folder, '.env'), 'WA_API_VERSION=2.53.1\n');
    fake.ports.fire();
    fake.ports.fire(); // a burst of watcher events is one change
    const { aspects, state } = await change;
    assert.deepEqual([...aspects].sort(), ['apiVersion', 'files']);
    assert.equal(state.folder?.apiVersion, '2.53.1');
    assert.deepEqual(fake.ports.probes, ['docker compose version --short']);
  });

  it('re-asks when the setting changes; the project name follows the other rules', async () => {
    await model.reload();
    fake.ports.settings.composeCommand = 'docker-compose';
    const change = nextChange(model);
    fake.ports.fire();
    const { aspects, state } = await change;
    assert.ok(aspects.has('compose') && aspects.has('project'));
    assert.equal(state.folder?.project, '_biz', 'v1 keeps the leading "_"');
    assert.equal((await model.composeCli()).label, 'docker-compose');
  });

  it('refuses a value outside the allowed ones without running anything', async () => {
    fake.ports.settings.composeCommand = '/tmp/x.sh';
    await model.reload();
    await assert.rejects(model.composeCli(), /wabaCluster\.composeCommand is "\/tmp\/x\.sh"; allowed are/);
    assert.deepEqual(fake.ports.probes, []);
  });

  it('runs no program in Restricted Mode, and asks once trust is granted', async () => {
    fake.ports.trusted = false;
    await model.reload();
    assert.equal(model.state.compose.kind, 'untrusted');
    await assert.rejects(model.composeCli(), /Restricted Mode/);
    assert.deepEqual(fake.ports.probes, []);
    fake.ports.trusted = true;
    const change = nextChange(model);
    fake.ports.fire();
    assert.ok((await change).aspects.has('trust'));
    assert.equal(model.state.compose.kind, 'ready');
  });

  it('finds a compose CLI installed after activation at the next compose call', async () => {
    fake.ports.installed = {};
    await model.reload();
    await assert.rejects(model.composeCli(), /No Docker Compose found/);
    fake.ports.installed = { 'docker-compose version --short': '1.29.2\n' };
    assert.equal((await model.composeCli()).flavor, 'v1');
  });

  it('reports the health interval and engine settings as their own aspects', async () => {
    await model.reload();
    fake.ports.settings.healthPollSeconds = 2;
    fake.ports.settings.dockerHost = 'unix:///run/other.sock';
    const change = nextChange(model);
    fake.ports.fire();
    assert.deepEqual([...(await change).aspects].sort(), ['dockerHost', 'healthPollSeconds']);
  });
});
