// How the extension follows the workspace (src/workspace/workspaceFollower.ts), with a fake
// workspace and fake followers: each change reaches only those that depend on the changed aspect,
// and the log says what the extension now reads.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { ClusterFolder } from '../../src/compose/clusterFolder';
import { Emitter } from '../../src/emitter';
import { WorkspaceFollower, type WorkspaceFollowers } from '../../src/workspace/workspaceFollower';
import type { ComposeState, WabaSettings, WorkspaceAspect, WorkspaceChange, WorkspaceState } from '../../src/workspace/workspaceModel';

const SETTINGS: WabaSettings = { composeCommand: 'auto', dockerHost: '', healthPollSeconds: 5, logMaxLines: 10_000, failoverExpectationSeconds: 35 };
const folder = (path: string, project: string): ClusterFolder => ({ path, project, apiVersion: '2.53.1' }) as ClusterFolder;
const v2: ComposeState = { kind: 'ready', cli: { file: 'docker', prefix: ['compose'], label: 'docker compose', version: '2.26.1', flavor: 'v2' } };

function fakeWorkspace(initial: WorkspaceState) {
  const changes = new Emitter<WorkspaceChange>();
  const workspace = {
    state: initial,
    onDidChange: (listener: (change: WorkspaceChange) => void) => changes.subscribe(listener),
    /** The model read `next`, which differs from before in `aspects`. */
    change(aspects: WorkspaceAspect[], next: Partial<WorkspaceState>) {
      const previous = workspace.state;
      workspace.state = { ...previous, ...next };
      changes.fire({ aspects: new Set(aspects), state: workspace.state, previous });
    },
  };
  return workspace;
}

function fakeFollowers() {
  const told: string[] = [];
  const followers: WorkspaceFollowers = {
    switchEngine: (host) => told.push(`engine ${host}`),
    setProject: (project) => told.push(`project ${project ?? 'none'}`),
    setHasClusterFolder: (has) => told.push(`hasClusterFolder ${has}`),
    setHealthIntervalMs: (ms) => told.push(`health every ${ms} ms`),
    log: { info: (m) => told.push(`info ${m}`), warn: (m) => told.push(`warn ${m}`) },
  };
  return { told, followers, actions: () => told.filter((l) => !l.startsWith('info ')) };
}

const start: WorkspaceState = { trusted: true, settings: SETTINGS, compose: v2, folder: folder('/home/u/biz', 'biz') };

/** A follower of a fake workspace, past what it said at construction. */
function following() {
  const workspace = fakeWorkspace(start);
  const f = fakeFollowers();
  new WorkspaceFollower(workspace, f.followers);
  f.told.length = 0;
  return { workspace, f };
}

describe('WorkspaceFollower', () => {
  it('says at once whether a cluster folder is open', () => {
    const open = fakeFollowers();
    new WorkspaceFollower(fakeWorkspace(start), open.followers);
    assert.deepEqual(open.told, ['hasClusterFolder true']);
    const none = fakeFollowers();
    new WorkspaceFollower(fakeWorkspace({ ...start, folder: undefined }), none.followers);
    assert.deepEqual(none.told, ['hasClusterFolder false']);
  });

  it('a new Docker host setting switches the engine, and nothing else', () => {
    const { workspace, f } = following();
    workspace.change(['dockerHost'], { settings: { ...SETTINGS, dockerHost: 'tcp://127.0.0.1:2375' } });
    assert.deepEqual(f.actions(), ['engine tcp://127.0.0.1:2375']);
  });

  it('another folder or project name: the monitor and the log tails watch the new project; closing the folder says so', () => {
    const { workspace, f } = following();
    workspace.change(['project'], { folder: folder('/home/u/biz', 'biz2') });
    workspace.change(['folder'], { folder: undefined });
    assert.deepEqual(f.actions(), ['project biz2', 'hasClusterFolder true', 'project none', 'hasClusterFolder false']);
  });

  it('a new poll interval reaches the health poller in milliseconds', () => {
    const { workspace, f } = following();
    workspace.change(['healthPollSeconds'], { settings: { ...SETTINGS, healthPollSeconds: 12 } });
    assert.deepEqual(f.actions(), ['health every 12000 ms']);
  });

  it('a compose that cannot run is logged as a warning with its reason; every change is logged with what is read now', () => {
    const { workspace, f } = following();
    workspace.change(['compose'], { compose: { kind: 'problem', error: new Error('"podman-compose" is not a compose command') } });
    assert.deepEqual(f.told, [
      'warn "podman-compose" is not a compose command',
      'info Workspace changed (compose): folder /home/u/biz, project biz, compose none ("podman-compose" is not a compose command), WA_API_VERSION 2.53.1',
    ]);
    workspace.change(['trust', 'compose'], { trusted: false, compose: { kind: 'untrusted' } });
    assert.deepEqual(f.told.slice(2), ['info Workspace changed (trust, compose): folder /home/u/biz, project biz, compose not run (Restricted Mode), WA_API_VERSION 2.53.1']);
  });

  it('after dispose it follows nothing', () => {
    const workspace = fakeWorkspace(start);
    const f = fakeFollowers();
    new WorkspaceFollower(workspace, f.followers).dispose();
    f.told.length = 0;
    workspace.change(['dockerHost', 'folder'], { folder: undefined });
    assert.deepEqual(f.told, []);
  });
});
