// The engine the extension watches, switched while running (wabaCluster.dockerHost changed): the
// subscribers of the event stream move to the new engine and are told to read again.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DockerClient } from '../../src/docker/dockerClient';
import type { EngineEventListener } from '../../src/docker/eventHub';
import { EngineSwitch } from '../../src/docker/engineSwitch';

function fakeClient(name: string) {
  const listeners = new Set<EngineEventListener>();
  const client = {
    endpointDescription: `unix:///run/${name}.sock`, endpointWhy: 'setting', endpoint: { kind: 'unix', socketPath: `/run/${name}.sock` },
    disposed: false, listeners,
    events: { subscribe: (l: EngineEventListener) => { listeners.add(l); return { dispose: () => listeners.delete(l) }; } },
    listProjectContainers: async () => [{ id: name }],
    dispose() { this.disposed = true; },
  };
  return client;
}

describe('EngineSwitch', () => {
  it('moves every subscription to the new engine, asks for a fresh read, and closes the old client', async () => {
    const a = fakeClient('a'), b = fakeClient('b');
    const engine = new EngineSwitch(a as unknown as DockerClient);
    let resumed = 0;
    const sub = engine.events.subscribe({ resumed: () => { resumed++; } });
    assert.equal(a.listeners.size, 1);
    engine.switchTo(b as unknown as DockerClient);
    assert.deepEqual([a.listeners.size, b.listeners.size, resumed, a.disposed], [0, 1, 1, true]);
    assert.equal(engine.endpointDescription, 'unix:///run/b.sock');
    assert.deepEqual(await engine.listProjectContainers('biz'), [{ id: 'b' }]);
    sub.dispose();
    assert.equal(b.listeners.size, 0);
    assert.equal(engine.local, true);
  });
});
