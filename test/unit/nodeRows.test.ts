import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerNode } from '../../src/docker/containerNode';
import { sortContainerNodes, summarizeContainers } from '../../src/docker/containerNode';
import { engineLine, rowsForSnapshot } from '../../src/views/nodeRows';

const node = (service: string, state = 'running'): ContainerNode =>
  ({ id: `id-${service}`, name: `biz_${service}_1`, service, state, status: state === 'running' ? 'Up 2 minutes' : 'Exited (137) 5 seconds ago', image: 'img', ports: [] });

describe('cluster nodes in the view', () => {
  it('lists nodes in the seed order: db, waweb, masters, coreapps (numeric), then others', () => {
    const sorted = sortContainerNodes([node('wacore10'), node('other'), node('wacore2'), node('master2'), node('waweb'), node('master1'), node('db')]);
    assert.deepEqual(sorted.map((n) => n.service), ['db', 'waweb', 'master1', 'master2', 'wacore2', 'wacore10', 'other']);
  });
  it('shows state and status, with a context value menus can match', () => {
    const rows = rowsForSnapshot({ kind: 'ready', project: 'biz', nodes: [node('wacore1', 'exited')] });
    assert.equal(rows.length, 1);
    assert.equal(rows[0].label, 'wacore1');
    assert.match(rows[0].description ?? '', /^exited · Exited \(137\)/);
    assert.equal(rows[0].contextValue, 'exitedContainer');
    assert.equal(rows[0].icon.id, 'debug-stop');
  });
  it('explains an unreachable engine in one row instead of an empty view', () => {
    const rows = rowsForSnapshot({ kind: 'dockerUnreachable', message: 'Docker is not reachable at unix:///x.sock: the socket does not exist.' });
    assert.deepEqual(rows.map((r) => [r.contextValue, r.label]), [['dockerUnreachable', 'Docker is not reachable at unix:///x.sock: the socket does not exist.']]);
  });
  it('says which engine it shows and why, on every row', () => {
    const engine = { endpoint: 'unix:///home/ana/.docker/desktop/docker.sock', why: 'context `desktop-linux`' };
    const ready = { kind: 'ready' as const, project: 'biz', nodes: [node('db'), node('waweb')], engine };
    assert.equal(engineLine(ready), 'Docker: unix:///home/ana/.docker/desktop/docker.sock (context `desktop-linux`)');
    assert.ok(rowsForSnapshot(ready).every((r) => r.tooltip?.endsWith(engineLine(ready)!)));
    const unreachable = { kind: 'dockerUnreachable' as const, message: 'Docker is not answering at unix:///x.sock', engine: { endpoint: 'unix:///x.sock', why: 'DOCKER_HOST' } };
    assert.match(rowsForSnapshot(unreachable)[0].tooltip ?? '', /\nDocker: unix:\/\/\/x\.sock \(DOCKER_HOST\)$/);
    assert.equal(engineLine({ kind: 'loading' }), undefined);
  });
  it('leaves the view empty (welcome text) when there is no cluster folder', () => {
    assert.deepEqual(rowsForSnapshot({ kind: 'noClusterFolder' }), []);
  });
  it('counts running containers for the status bar', () => {
    assert.deepEqual(summarizeContainers([node('db'), node('waweb', 'exited'), node('master1')]), { running: 2, total: 3 });
  });
});
