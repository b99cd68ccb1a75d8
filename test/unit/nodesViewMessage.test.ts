// The line above the Cluster Nodes (src/views/nodesViewMessage.ts): Restricted Mode first, then a
// project name compose refuses, then a version the nodes do not run; kept up to date.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { ClusterFolder } from '../../src/compose/clusterFolder';
import { Emitter } from '../../src/emitter';
import { NodesViewMessage, nodesViewMessage } from '../../src/views/nodesViewMessage';
import type { WorkspaceState } from '../../src/workspace/workspaceModel';

const folder = (projectProblem?: string) => ({ path: '/home/u/biz', project: 'biz', projectProblem }) as ClusterFolder;

describe('the Cluster Nodes view message', () => {
  it('Restricted Mode before anything else; then the project problem; then the version drift; else none', () => {
    assert.match(nodesViewMessage({ trusted: false, folder: folder('bad name') }, 'drift')!, /^Restricted Mode: containers are shown read-only/);
    assert.equal(nodesViewMessage({ trusted: true, folder: folder('"My Biz" is not a compose project name') }, 'drift'), '"My Biz" is not a compose project name');
    assert.equal(nodesViewMessage({ trusted: true, folder: folder() }, '.env says 2.53.1; the nodes run 2.51.2'), '.env says 2.53.1; the nodes run 2.51.2');
    assert.equal(nodesViewMessage({ trusted: true, folder: undefined }, undefined), undefined);
  });

  it('is written at once and again on each workspace or container change, until disposed', () => {
    const view: { message?: string } = {};
    const workspaceChanges = new Emitter<void>();
    const containerChanges = new Emitter<void>();
    let drift: string | undefined;
    const workspace = { state: { trusted: true, folder: folder() } as WorkspaceState, onDidChange: (l: () => void) => workspaceChanges.subscribe(l) };
    const message = new NodesViewMessage(view, { workspace, monitor: { onDidChange: (l) => containerChanges.subscribe(l) }, drift: () => drift });
    assert.equal(view.message, undefined);
    drift = 'the nodes run 2.51.2';
    containerChanges.fire();
    assert.equal(view.message, 'the nodes run 2.51.2');
    workspace.state = { ...workspace.state, trusted: false };
    workspaceChanges.fire();
    assert.match(view.message!, /^Restricted Mode/);
    message.dispose();
    workspace.state = { ...workspace.state, trusted: true };
    workspaceChanges.fire();
    assert.match(view.message!, /^Restricted Mode/, 'no longer followed');
  });
});
