import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DockerEndpointError, describeDockerEndpoint, resolveDockerEndpoint } from '../../src/docker/dockerEndpoint';

describe('resolveDockerEndpoint', () => {
  it('uses the default socket when DOCKER_HOST is empty or unset', () => {
    assert.deepEqual(resolveDockerEndpoint(undefined), { kind: 'socket', socketPath: '/var/run/docker.sock' });
    assert.deepEqual(resolveDockerEndpoint('  '), { kind: 'socket', socketPath: '/var/run/docker.sock' });
  });
  it('reads unix:// and tcp:// hosts', () => {
    assert.deepEqual(resolveDockerEndpoint('unix:///run/user/1000/docker.sock'), { kind: 'socket', socketPath: '/run/user/1000/docker.sock' });
    assert.deepEqual(resolveDockerEndpoint('tcp://127.0.0.1:2375'), { kind: 'tcp', host: '127.0.0.1', port: 2375, protocol: 'http' });
    assert.deepEqual(resolveDockerEndpoint('https://docker.local:2376/'), { kind: 'tcp', host: 'docker.local', port: 2376, protocol: 'https' });
  });
  it('rejects what it cannot use with a message that shows the accepted forms', () => {
    assert.throws(() => resolveDockerEndpoint('ssh://me@host'), (e: Error) => e instanceof DockerEndpointError && /unix:\/\/\/path/.test(e.message));
    assert.throws(() => resolveDockerEndpoint('unix://relative.sock'), /absolute socket path/);
    assert.throws(() => resolveDockerEndpoint('tcp://host-without-port'), DockerEndpointError);
  });
  it('describes an endpoint the way DOCKER_HOST spells it', () => {
    assert.equal(describeDockerEndpoint(resolveDockerEndpoint(undefined)), 'unix:///var/run/docker.sock');
    assert.equal(describeDockerEndpoint(resolveDockerEndpoint('tcp://127.0.0.1:2375')), 'tcp://127.0.0.1:2375');
  });
});
