// Engines chosen the way the docker CLI chooses them, on a second real dockerd (its own network
// namespace, socket and TLS listener) and a real sshd on 127.0.0.1. The main engine is only used
// to show that nothing landed there.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ClusterMonitor } from '../../src/cluster/clusterMonitor';
import { COMPOSE_PROJECT_LABEL, DockerClient, describeDockerError } from '../../src/docker/dockerClient';
import { ResolvedEngine, composeEngineEnv, engineInputsHere, resolveEngine } from '../../src/docker/dockerEndpoint';
import type { ContainerEvent } from '../../src/docker/eventHub';
import { engineLine, rowsForSnapshot } from '../../src/views/nodeRows';
import { SecondEngine, startSecondEngine } from '../support/secondEngine';
import { TestSshd, startSshd } from '../support/sshd';
import { TINY_IMAGE, buildTinyImage } from '../support/tinyImage';

const PROJECT = `wabaeng${process.pid}`;

describe('Docker engines resolved like the docker CLI, on a second real engine', () => {
  let engine: SecondEngine;
  let work: string;
  let configDir: string;
  const clients: DockerClient[] = [];
  /** The extension's view of the engine, as it resolves it on a machine with this docker config. */
  const resolveHere = (env: Record<string, string> = {}): ResolvedEngine => {
    const { DOCKER_HOST: _host, DOCKER_CONTEXT: _context, ...rest } = process.env;
    return resolveEngine(engineInputsHere(undefined, { ...rest, DOCKER_CONFIG: configDir, ...env }));
  };
  const client = (resolved: ResolvedEngine): DockerClient => {
    const c = new DockerClient(resolved.endpoint, { why: resolved.why });
    clients.push(c);
    return c;
  };
  const cli = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8', env: { ...process.env, DOCKER_CONFIG: configDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  /** A container of the test's compose project on the second engine, created by its CLI. */
  const createOnEngine = (service: string) => engine.docker('create', '--name', `${PROJECT}_${service}_1`, '--label', `${COMPOSE_PROJECT_LABEL}=${PROJECT}`, '--label', `com.docker.compose.service=${service}`, TINY_IMAGE).trim();

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'waba-engines-'));
    configDir = join(work, 'docker-config');
    mkdirSync(configDir);
    engine = await startSecondEngine({ tls: true });
    buildTinyImage(engine.socketHost);
  });

  after(async () => {
    for (const c of clients) c.dispose();
    await engine?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('follows `docker context use` to another unix socket, and says so in the tree', async () => {
    cli('context', 'create', 'engine2', '--docker', `host=${engine.socketHost}`);
    cli('context', 'use', 'engine2');
    const resolved = resolveHere();
    assert.deepEqual(resolved, { endpoint: { kind: 'unix', socketPath: engine.socketHost.slice('unix://'.length) }, why: 'context `engine2`', context: 'engine2' });
    createOnEngine('master1');
    const monitor = new ClusterMonitor(client(resolved), PROJECT, { describeError: describeDockerError });
    const snapshot = await monitor.refresh();
    assert.equal(snapshot.kind, 'ready', JSON.stringify(snapshot));
    assert.deepEqual(snapshot.kind === 'ready' && snapshot.nodes.map((n) => `${n.service} ${n.state}`), ['master1 created']);
    assert.equal(engineLine(snapshot), `Docker: ${engine.socketHost} (context \`engine2\`)`);
    assert.match(rowsForSnapshot(snapshot)[0].tooltip ?? '', /context `engine2`/);
  });

  it("delivers the engine's container events through its one shared stream", async () => {
    const docker = client(resolveHere());
    const events: ContainerEvent[] = [];
    const first = docker.events.subscribe({ event: (e) => events.push(e) });
    const second = docker.events.subscribe({ event: () => undefined });
    try {
      await waitFor('the event stream opens', () => docker.events.isOpen);
      const id = createOnEngine('wacore1');
      engine.docker('start', id);
      await waitFor('create and start events of wacore1', () => ['create', 'start'].every((a) => events.some((e) => e.id === id && e.action === a)));
      const start = events.find((e) => e.id === id && e.action === 'start')!;
      assert.equal(start.project, PROJECT);
      assert.equal(start.service, 'wacore1');
      assert.match(start.timeNano ?? '', /^\d{19}$/);
    } finally {
      first.dispose();
      second.dispose();
    }
    assert.equal(docker.events.isOpen, false, 'closed with its last subscriber');
  });

  for (const compose of [['docker-compose'], ['docker', 'compose']]) {
    it(`runs ${compose.join(' ')} on the same engine through composeEngineEnv`, async () => {
      const resolved = resolveHere();
      const folder = join(work, `compose-${compose.length}`);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'multiconnect-compose.yml'), `version: '3'\nservices:\n  waweb:\n    image: ${TINY_IMAGE}\n    stop_signal: SIGKILL\n`);
      const project = `${PROJECT}c${compose.length}`;
      // The user's own environment would point the CLI at the main engine.
      const env = { ...process.env, DOCKER_HOST: 'unix:///var/run/docker.sock', ...composeEngineEnv(resolved.endpoint) };
      const run = (...args: string[]) => execFileSync(compose[0], [...compose.slice(1), '-p', project, '-f', 'multiconnect-compose.yml', ...args], { cwd: folder, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        run('up', '-d');
        const nodes = await client(resolved).listProjectContainers(project);
        assert.deepEqual(nodes.map((n) => `${n.service} ${n.state}`), ['waweb running']);
        assert.equal(execFileSync('docker', ['-H', 'unix:///var/run/docker.sock', 'ps', '-aq', '--filter', `label=${COMPOSE_PROJECT_LABEL}=${project}`], { encoding: 'utf8' }).trim(), '', 'nothing on the main engine');
      } finally {
        run('down', '-v');
      }
    });
  }

  it("talks tcp+TLS with the certificates of a context's TLS store, as compose does", async () => {
    const certs = engine.clientCertDir!;
    cli('context', 'create', 'engine2-tls', '--docker', `host=${engine.tlsHost},ca=${certs}/ca.pem,cert=${certs}/cert.pem,key=${certs}/key.pem`);
    const resolved = resolveHere({ DOCKER_CONTEXT: 'engine2-tls' });
    assert.equal(resolved.why, 'context `engine2-tls`');
    assert.equal(resolved.endpoint.kind === 'tcp' && resolved.endpoint.tls?.certDir.startsWith(join(configDir, 'contexts', 'tls')), true, JSON.stringify(resolved.endpoint));
    const nodes = await client(resolved).listProjectContainers(PROJECT);
    assert.deepEqual(nodes.map((n) => n.service).sort(), ['master1', 'wacore1']);
    // The CLI (compose v2's own engine client) reaches it with the same environment.
    const env = { ...process.env, ...composeEngineEnv(resolved.endpoint) };
    assert.equal(execFileSync('docker', ['info', '--format', '{{.Name}}'], { env, encoding: 'utf8' }).trim(), 'engine2');
  });

  it('refuses a TLS engine whose certificate its CA did not sign, and says why', async () => {
    const certs = join(work, 'stranger-certs');
    mkdirSync(certs);
    execFileSync('cp', [engine.strangerCaFile!, join(certs, 'ca.pem')]);
    execFileSync('cp', [join(engine.clientCertDir!, 'cert.pem'), join(engine.clientCertDir!, 'key.pem'), certs]);
    const docker = client({ endpoint: { kind: 'tcp', host: engine.address, port: 2376, tls: { certDir: certs } }, why: 'test' });
    const error = await docker.ping().then(() => undefined, (e: unknown) => e);
    assert.ok(error, 'the engine was trusted without its CA');
    assert.match(describeDockerError(error, docker.endpointDescription), new RegExp(`^Docker is not reachable at tcp://${engine.address.replace(/\./g, '\\.')}:2376: .*certificate`, 'i'));
  });

  describe('over ssh://, through a real sshd on 127.0.0.1', () => {
    let sshd: TestSshd;
    const path = process.env.PATH;

    before(async () => {
      // The remote docker CLI (docker system dial-stdio) talks to the second engine.
      sshd = await startSshd({ DOCKER_HOST: engine.socketHost });
      process.env.PATH = `${sshd.binDir}:${path}`;
    });

    after(async () => {
      process.env.PATH = path;
      await sshd?.stop();
    });

    it('lists the containers and streams the events of the remote engine, chosen by an ssh context', async () => {
      cli('context', 'create', 'engine2-ssh', '--docker', `host=ssh://root@127.0.0.1:${sshd.port}`);
      cli('context', 'use', 'engine2-ssh');
      const resolved = resolveHere();
      assert.deepEqual(resolved, { endpoint: { kind: 'ssh', host: '127.0.0.1', port: sshd.port, user: 'root' }, why: 'context `engine2-ssh`', context: 'engine2-ssh' });
      const docker = client(resolved);
      assert.deepEqual((await docker.listProjectContainers(PROJECT)).map((n) => n.service).sort(), ['master1', 'wacore1']);
      const events: ContainerEvent[] = [];
      const sub = docker.events.subscribe({ event: (e) => events.push(e) });
      try {
        await waitFor('the event stream opens over ssh', () => docker.events.isOpen);
        const id = createOnEngine('wacore2');
        await waitFor('the create event of wacore2 over ssh', () => events.some((e) => e.id === id && e.action === 'create'));
      } finally {
        sub.dispose();
      }
    });

    it('says what ssh said when it cannot log in', async () => {
      const docker = client({ endpoint: { kind: 'ssh', host: '127.0.0.1', port: sshd.port, user: 'nobody-here' }, why: 'test' });
      const error = await docker.ping().then(() => undefined, (e: unknown) => e);
      assert.match(describeDockerError(error, docker.endpointDescription), /^Docker is not reachable at ssh:\/\/nobody-here@127\.0\.0\.1:\d+: ssh to 127\.0\.0\.1 failed \(exit 255\): .*Permission denied/);
    });
  });
});

async function waitFor(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
