import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerNode } from '../../src/docker/containerNode';
import type { ClusterFolder } from '../../src/compose/clusterFolder';
import { versionDrift } from '../../src/workspace/versionDrift';

const META_IMAGE = 'docker.whatsapp.biz/coreapp:v${WA_API_VERSION:?Run docker-compose with env var WA_API_VERSION}';
const folder = (apiVersion: string | undefined, from: '.env' | 'environment' = '.env') => ({
  apiVersion, apiVersionFrom: from, variables: { NS: 'waba-ext' },
  compose: { topLevelName: undefined, unreadable: [], services: [
    { name: 'db', image: 'mysql:8.0.33', ports: [] },
    { name: 'master1', image: META_IMAGE, ports: [] },
    { name: 'wacore1', image: '${NS}/coreapp:v${WA_API_VERSION}', ports: [] },
  ] },
}) as unknown as ClusterFolder;
const node = (service: string, image: string): ContainerNode => ({ id: service, name: service, service, state: 'running', status: 'Up', image, ports: [] });

describe('versionDrift', () => {
  it('says which version runs and which .env asks for', () => {
    const nodes = [node('db', 'mysql:8.0.33'), node('master1', 'docker.whatsapp.biz/coreapp:v2.51.2'), node('wacore1', 'waba-ext/coreapp:v2.51.2')];
    assert.equal(versionDrift(folder('2.53.1'), nodes)?.message, 'running v2.51.2, .env says v2.53.1 — Start to upgrade');
    assert.equal(versionDrift(folder('2.49.0', 'environment'), nodes)?.message, "running v2.51.2, VS Code's environment says v2.49.0 — Start to downgrade");
  });
  it('names a mixed cluster', () => {
    const nodes = [node('master1', 'docker.whatsapp.biz/coreapp:v2.53.1'), node('wacore1', 'waba-ext/coreapp:v2.51.2')];
    assert.equal(versionDrift(folder('2.53.1'), nodes)?.message, 'running v2.51.2 and v2.53.1, .env says v2.53.1 — Start to bring every node to it');
  });
  it('is quiet when every node runs the version, when none runs, and without WA_API_VERSION', () => {
    const nodes = [node('db', 'mysql:5.7'), node('master1', 'docker.whatsapp.biz/coreapp:v2.53.1')];
    assert.equal(versionDrift(folder('2.53.1'), nodes), undefined);
    assert.equal(versionDrift(folder('2.53.1'), []), undefined);
    assert.equal(versionDrift(folder(undefined), nodes), undefined);
  });
});
