// Where the webapp is reached from this machine, for each kind of engine and port binding.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerNode, PublishedPort } from '../../src/docker/containerNode';
import type { DockerEndpoint } from '../../src/docker/dockerEndpoint';
import { describeRoute, webappRoute } from '../../src/session/webappLocator';

const node = (service: string, ports: PublishedPort[], state = 'running'): ContainerNode => ({ id: service, name: `biz_${service}_1`, service, state, status: 'Up', image: 'web', ports });
const waweb = (...ports: PublishedPort[]) => [node('db', [{ containerPort: 3306, hostIp: '0.0.0.0', hostPort: 33060 }]), node('waweb', ports)];
const https = (hostIp: string | undefined, hostPort = 9090): PublishedPort => ({ containerPort: 443, hostPort, ...(hostIp === undefined ? {} : { hostIp }) });

const unix: DockerEndpoint = { kind: 'unix', socketPath: '/var/run/docker.sock' };
const localTcp: DockerEndpoint = { kind: 'tcp', host: '127.0.0.1', port: 2375 };
const tcp: DockerEndpoint = { kind: 'tcp', host: 'vm1.example', port: 2376, tls: { certDir: '/certs' } };
const ssh: DockerEndpoint = { kind: 'ssh', host: 'host2', port: 2222, user: 'ops' };

describe('webappRoute: the webapp follows the host its engine runs on', () => {
  it('a local engine: every address and loopback are 127.0.0.1, a bound address is itself', () => {
    for (const engine of [unix, localTcp]) {
      assert.deepEqual(webappRoute(waweb(https('0.0.0.0')), engine), { host: '127.0.0.1', port: 9090 });
      assert.deepEqual(webappRoute(waweb(https('::')), engine), { host: '127.0.0.1', port: 9090 });
      assert.deepEqual(webappRoute(waweb(https(undefined)), engine), { host: '127.0.0.1', port: 9090 });
      assert.deepEqual(webappRoute(waweb(https('127.0.0.1')), engine), { host: '127.0.0.1', port: 9090 });
      assert.deepEqual(webappRoute(waweb(https('192.168.7.3', 9443)), engine), { host: '192.168.7.3', port: 9443 });
    }
  });

  it('tcp:// and ssh:// engines: a port on every address is on the engine\'s host, a bound address is that address', () => {
    assert.deepEqual(webappRoute(waweb(https('0.0.0.0')), tcp), { host: 'vm1.example', port: 9090 });
    assert.deepEqual(webappRoute(waweb(https('0.0.0.0')), ssh), { host: 'host2', port: 9090 });
    assert.deepEqual(webappRoute(waweb(https('10.0.0.8', 9443)), tcp), { host: '10.0.0.8', port: 9443 });
    assert.deepEqual(webappRoute(waweb(https('10.0.0.8')), ssh), { host: '10.0.0.8', port: 9090 });
  });

  it("ssh:// with the port on the host's loopback only: a forward through the engine's ssh, the address as the user sees it", () => {
    const address = webappRoute(waweb(https('127.0.0.1')), ssh);
    assert.deepEqual(address, { host: 'host2', port: 9090, forward: { ssh: { host: 'host2', port: 2222, user: 'ops' }, remoteHost: '127.0.0.1', remotePort: 9090 } });
    assert.equal(describeRoute(address!), 'through a forward over ssh (ssh://ops@host2:2222: 127.0.0.1:9090 on that host)');
    assert.equal(describeRoute(address!, { host: '127.0.0.1', port: 41234 }), 'through a forward over ssh (ssh://ops@host2:2222: 127.0.0.1:9090 on that host, 127.0.0.1:41234 on this machine)');
    assert.deepEqual(webappRoute(waweb(https('::1')), { kind: 'ssh', host: 'h' })?.forward, { ssh: { host: 'h' }, remoteHost: '::1', remotePort: 9090 });
  });

  it('tcp:// with the port on the loopback only: not reachable, and says what to do', () => {
    const address = webappRoute(waweb(https('127.0.0.1')), tcp);
    assert.equal(address?.forward, undefined);
    assert.deepEqual([address?.host, address?.port], ['vm1.example', 9090]);
    assert.match(address?.problem ?? '', /^The webapp is not reachable from here: the host of engine tcp:\/\/vm1\.example:2376 publishes it on its loopback only \(127\.0\.0\.1:9090\).*Publish the port on the host's address.*ssh:\/\//);
  });

  it("on a remote host a binding others can reach beats the loopback one; only a running container's port counts", () => {
    assert.deepEqual(webappRoute(waweb(https('127.0.0.1'), https('10.0.0.8')), ssh), { host: '10.0.0.8', port: 9090 });
    assert.equal(webappRoute([node('waweb', [https('0.0.0.0')], 'exited')], ssh), undefined);
    assert.equal(webappRoute([node('waweb', [{ containerPort: 443 }])], ssh), undefined, 'not published');
  });
});
