// The webapp of a cluster on a remote engine, reached from this machine the way the extension
// reaches it: a second real dockerd in its own network namespace (publishing on its loopback by
// default, dockerd --ip 127.0.0.1), a real sshd in that namespace on its address, a real TLS
// server published by a container there. Over ssh:// the loopback port goes through a local ssh
// forward; over tcp:// + TLS a port on the namespace address is dialled directly, a loopback-only
// one is refused with what to do.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readPeerCertificate } from '../../src/api/peerCertificate';
import { pinFromPem } from '../../src/api/certificatePin';
import { COMPOSE_PROJECT_LABEL, DockerClient } from '../../src/docker/dockerClient';
import type { DockerEndpoint } from '../../src/docker/dockerEndpoint';
import { SshForwards } from '../../src/docker/sshForward';
import { webappRoute } from '../../src/session/webappLocator';
import { SecondEngine, startSecondEngine } from '../support/secondEngine';
import { TestSshd, startSshd } from '../support/sshd';

const PROJECT = `wabarw${process.pid}`;
const IMAGE = `${process.env.WABA_EMULATOR_IMAGES || 'waba-emulator'}/web:v${readFileSync(join(__dirname, '..', '..', 'emulator', 'versions.txt'), 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean).at(-1)}`;
const TLS_SERVER = "require('tls').createServer({ key: process.env.KEY, cert: process.env.CERT }, (s) => s.end()).listen(443)";

describe('The webapp of a cluster on a remote engine, reached from this machine', () => {
  let engine: SecondEngine;
  let sshd: TestSshd;
  let work: string;
  const path = process.env.PATH;
  const clients: DockerClient[] = [];
  const logged: string[] = [];
  const forwards = new SshForwards({ info: (m) => logged.push(m), warn: (m) => logged.push(`warn ${m}`) });
  let fingerprint: string;
  let env: { KEY: string; CERT: string };

  /** A "waweb" container of the test's project on the remote engine, its TLS port published as `publish`. */
  const webapp = (name: string, publish: string) => engine.docker('run', '-d', '--name', `${PROJECT}_${name}_1`, '--label', `${COMPOSE_PROJECT_LABEL}=${PROJECT}`, '--label', `com.docker.compose.service=${name}`,
    '-e', `KEY=${env.KEY}`, '-e', `CERT=${env.CERT}`, '-p', publish, '--entrypoint', 'node', IMAGE, '-e', TLS_SERVER).trim();
  const addressOn = async (endpoint: DockerEndpoint, service: string) => {
    const client = new DockerClient(endpoint, { why: 'test' });
    clients.push(client);
    return webappRoute((await client.listProjectContainers(PROJECT)).filter((n) => n.service === service), endpoint);
  };

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'waba-remote-webapp-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=remote-webapp', '-keyout', join(work, 'key.pem'), '-out', join(work, 'cert.pem')], { stdio: 'ignore' });
    env = { KEY: readFileSync(join(work, 'key.pem'), 'utf8'), CERT: readFileSync(join(work, 'cert.pem'), 'utf8') };
    fingerprint = pinFromPem(env.CERT).fingerprint;
    engine = await startSecondEngine({ tls: true, publishIp: '127.0.0.1' });
    execFileSync('sh', ['-c', `docker save "$1" | docker -H "$2" load`, 'sh', IMAGE, engine.socketHost], { stdio: 'ignore' });
    sshd = await startSshd({ DOCKER_HOST: engine.socketHost }, { netns: engine.netns, address: engine.address });
    process.env.PATH = `${sshd.binDir}:${path}`;
  });

  after(async () => {
    process.env.PATH = path;
    forwards.dispose();
    for (const c of clients) c.dispose();
    await sshd?.stop();
    await engine?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("ssh:// with 9090 on the host's loopback only: reached through a local forward over the engine's ssh, known by the remote address", async () => {
    webapp('waweb', '9090:443');
    const ssh: DockerEndpoint = { kind: 'ssh', host: engine.address, port: sshd.port, user: 'root' };
    const address = await until('the container publishes 443', () => addressOn(ssh, 'waweb'), (a) => a !== undefined);
    assert.deepEqual(address, { host: engine.address, port: 9090, forward: { ssh: { host: engine.address, port: sshd.port, user: 'root' }, remoteHost: '127.0.0.1', remotePort: 9090 } });
    // Not reachable from this machine without the forward: the port is on the namespace's loopback.
    await assert.rejects(readPeerCertificate(engine.address, 9090, 2000));
    const local = await forwards.reach(address!.forward!);
    assert.equal(local.host, '127.0.0.1');
    assert.notEqual(local.port, 9090);
    const presented = await until('the webapp answers TLS through the forward', () => readPeerCertificate(local.host, local.port).catch(() => undefined), (p) => p !== undefined);
    assert.equal(presented?.fingerprint, fingerprint, "the remote container's certificate");
    assert.deepEqual(await forwards.reach(address!.forward!), local, 'one forward, reused');
    const [pid] = forwards.pids;
    assert.ok(pid && alive(pid), 'the ssh process runs');
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    assert.match(command, new RegExp(`^/usr/bin/ssh -F \\S+ -o BatchMode=yes .*-N -o ExitOnForwardFailure=yes -L 127\\.0\\.0\\.1:${local.port}:127\\.0\\.0\\.1:9090 -l root -p ${sshd.port} -- ${engine.address.replace(/\./g, '\\.')} $`), 'the options of the engine\'s ssh');
    forwards.close();
    await until('the forward ends with its connection', () => alive(pid), (a) => !a, 5_000);
  });

  it('refuses a host whose key ssh does not know, with what ssh said', async () => {
    const bin = join(work, 'unknown-host-bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'ssh'), `#!/bin/sh\nexec ${join(sshd.binDir, 'ssh')} -o UserKnownHostsFile=/dev/null "$@"\n`);
    chmodSync(join(bin, 'ssh'), 0o755);
    process.env.PATH = `${bin}:${process.env.PATH}`;
    try {
      const spec = { ssh: { host: engine.address, port: sshd.port, user: 'root' }, remoteHost: '127.0.0.1', remotePort: 9090 };
      await assert.rejects(forwards.reach(spec), new RegExp(`^Error: ssh to ${engine.address.replace(/\./g, '\\.')} could not forward 127\\.0\\.0\\.1:9090 \\(exit 255\\): Host key verification failed`));
      assert.deepEqual(forwards.pids, []);
    } finally {
      process.env.PATH = `${sshd.binDir}:${path}`;
    }
  });

  it("tcp:// + TLS with the port published on the host's address: dialled there directly", async () => {
    webapp('wawebpublic', `${engine.address}:9091:443`);
    const tcp: DockerEndpoint = { kind: 'tcp', host: engine.address, port: 2376, tls: { certDir: engine.clientCertDir! } };
    const address = await until('the container publishes 443', () => addressOn(tcp, 'wawebpublic'), (a) => a !== undefined);
    assert.deepEqual(address, { host: engine.address, port: 9091 });
    const presented = await until('the webapp answers TLS', () => readPeerCertificate(engine.address, 9091).catch(() => undefined), (p) => p !== undefined);
    assert.equal(presented?.fingerprint, fingerprint);
  });

  it("tcp:// with the port on the host's loopback only: not reachable, and the address says what to do", async () => {
    const tcp: DockerEndpoint = { kind: 'tcp', host: engine.address, port: 2376, tls: { certDir: engine.clientCertDir! } };
    const address = await addressOn(tcp, 'waweb');
    assert.equal(address?.forward, undefined);
    assert.match(address?.problem ?? '', new RegExp(`^The webapp is not reachable from here: the host of engine tcp://${engine.address.replace(/\./g, '\\.')}:2376 publishes it on its loopback only \\(127\\.0\\.0\\.1:9090\\).*use the engine over ssh://`));
  });
});

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function until<T>(what: string, read: () => T | Promise<T>, accept: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (accept(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
