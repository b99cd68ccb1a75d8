// Start Cluster's pre-flight against the real engine and the compose CLI of this pass: what would
// make `up` fail and can be fixed is found before compose runs, compose files that compose refuses
// are explained when `up` fails on them, and each problem says what it is and what to do.
// The compose file publishes free high ports (never 9090/33060, so no cluster lock is needed).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo, Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { ComposeMissingError, ComposeCli, execProbe, resolveComposeCli } from '../../../src/compose/composeCli';
import { composeFilesProblem, preflightUp } from '../../../src/compose/preflight';
import { StartClusterWorkflow, StartEngine, StartPrompter, StartRefused } from '../../../src/workflows/startWorkflow';
import { DockerClient } from '../../../src/docker/dockerClient';
import { resolveDockerEndpoint } from '../../../src/docker/dockerEndpoint';
import { composeFor, matrixCli } from '../../support/composeMatrix';
import { buildTinyImage, removeTinyImage } from '../../support/tinyImage';

const run = promisify(execFile);
const NS = `waba-pf${process.pid}`;
const OTHER = `otherbiz${process.pid}`;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address() as AddressInfo; s.close(() => resolve(port)); });
  });
}

describe(`Start Cluster pre-flight (${process.env.WABA_COMPOSE || 'docker compose'})`, () => {
  let cli: ComposeCli;
  let dir: string;
  let webPort: number;
  let corePort: number;
  let other: string | undefined;
  let listener: Server | undefined;
  const docker = new DockerClient(resolveDockerEndpoint(undefined));
  const engine: StartEngine = {
    containersPublishing: (p) => docker.containersPublishing(p), imageTags: (r) => docker.imageTags(r), stopContainer: (id) => docker.stopContainer(id), local: true,
  };
  const asked: string[] = [];
  const prompter = (answers: { version?: string; stop?: boolean }): StartPrompter => ({
    chooseApiVersion: async (message, versions) => { asked.push(`version: ${message} [${versions.join(',')}]`); return answers.version; },
    confirmStop: async (message, containers) => { asked.push(`stop: ${message} [${containers.join(',')}]`); return answers.stop ?? false; },
    showInvalidFiles: async (message) => { asked.push(`invalid: ${message}`); },
  });
  const composeFile = () => [
    'services:',
    '  web:', '    image: ${NS}/web:v${WA_API_VERSION:?Run docker-compose with env var WA_API_VERSION}', '    stop_signal: SIGKILL', '    ports:', `      - "127.0.0.1:${webPort}:80"`,
    '  core:', '    image: ${NS}/coreapp:v${WA_API_VERSION:?Run docker-compose with env var WA_API_VERSION}', '    stop_signal: SIGKILL', '    ports:', `      - "127.0.0.1:${corePort}:80"`, '',
  ].join('\n');

  before(async () => {
    cli = await matrixCli();
    const tiny = buildTinyImage();
    // web has 1.0.1 and 1.0.2, coreapp only 1.0.2: only 1.0.2 can start the whole cluster.
    for (const image of [`${NS}/web:v1.0.1`, `${NS}/web:v1.0.2`, `${NS}/coreapp:v1.0.2`]) await run('docker', ['tag', tiny, image]);
    [webPort, corePort] = [await freePort(), await freePort()];
    dir = mkdtempSync(join(tmpdir(), 'wabapf'));
    writeFileSync(join(dir, 'multiconnect-compose.yml'), composeFile());
    writeFileSync(join(dir, '.env'), `NS=${NS}\n`);
  });

  after(async () => {
    listener?.close();
    await composeFor(dir, cli).run({ verb: 'down', removeVolumes: true }, () => undefined).catch(() => undefined);
    if (other) await run('docker', ['rm', '-f', other]).catch(() => undefined);
    await run('docker', ['rmi', `${NS}/web:v1.0.1`, `${NS}/web:v1.0.2`, `${NS}/coreapp:v1.0.2`]).catch(() => undefined);
    removeTinyImage();
    rmSync(dir, { recursive: true, force: true });
    docker.dispose();
  });

  it('WA_API_VERSION missing: names the services, offers the versions every local image has', async () => {
    const problem = await preflightUp(composeFor(dir, cli), engine);
    assert.equal(problem?.kind, 'apiVersionMissing');
    assert.deepEqual(problem?.kind === 'apiVersionMissing' && problem.versions, ['1.0.2']);
    assert.match(problem!.message, /WA_API_VERSION is not set: the images of web, core need it\. Set it in .*\/\.env \(local images exist for 1\.0\.2\)/);
  });

  it('ports held by another compose project: names it, stops it when the user agrees, writes the chosen version into .env, starts', async () => {
    other = (await run('docker', ['run', '-d', '--stop-signal', 'SIGKILL', '-p', `127.0.0.1:${webPort}:80`, '--label', `com.docker.compose.project=${OTHER}`, '--name', `${OTHER}-web-1`, `${NS}/web:v1.0.1`])).stdout.trim();
    const workflow = new StartClusterWorkflow({ compose: composeFor(dir, cli), engine, prompter: prompter({ version: '1.0.2', stop: true }), reloadWorkspace: async () => undefined, onLine: () => undefined });
    assert.equal(await workflow.run(), true);
    assert.match(readFileSync(join(dir, '.env'), 'utf8'), /^WA_API_VERSION=1\.0\.2$/m);
    assert.match(asked.find((a) => a.startsWith('stop:')) ?? '', new RegExp(`compose project "${OTHER}" \\(container ${OTHER}-web-1\\) publishes ${webPort}`));
    const state = (await run('docker', ['inspect', '-f', '{{.State.Status}}', other])).stdout.trim();
    assert.equal(state, 'exited', 'the other cluster is stopped, not removed');
    const project = (await composeFor(dir, cli).prepare()).command.project!;
    const images = (await docker.listProjectContainers(project)).map((n) => `${n.service} ${n.image} ${n.state}`).sort();
    assert.deepEqual(images, [`core ${NS}/coreapp:v1.0.2 running`, `web ${NS}/web:v1.0.2 running`]);
    // Our own running cluster holds the ports: that is no problem for `up`.
    assert.equal(await preflightUp(composeFor(dir, cli), engine), undefined);
  });

  it('a port held by another program: says so and runs nothing', async () => {
    await composeFor(dir, cli).run({ verb: 'down', removeVolumes: true }, () => undefined);
    listener = await new Promise<Server>((resolve) => { const s = createServer().listen(corePort, '127.0.0.1', () => resolve(s)); });
    const workflow = new StartClusterWorkflow({ compose: composeFor(dir, cli), engine, prompter: prompter({ stop: true }), reloadWorkspace: async () => undefined, onLine: () => undefined });
    await assert.rejects(workflow.run(), (e: Error) => e instanceof StartRefused && new RegExp(`another program on this machine listens on ${corePort}`).test(e.message));
    const project = (await composeFor(dir, cli).prepare()).command.project!;
    assert.deepEqual(await docker.listProjectContainers(project), [], 'nothing was started');
    listener.close();
    listener = undefined;
  });

  it("compose file invalid: up fails, then compose's own error lines, and the file and line when compose names them", async () => {
    writeFileSync(join(dir, 'multiconnect-compose.yml'), composeFile().replace('    stop_signal: SIGKILL\n    ports:', '    stop_signal: SIGKILL\n    portz: [1]\n    ports:'));
    writeFileSync(join(dir, '.env'), `NS=${NS}\nWA_API_VERSION=1.0.2\n`);
    const shown: Array<{ message: string; location: unknown }> = [];
    const workflow = new StartClusterWorkflow({
      compose: composeFor(dir, cli), engine, reloadWorkspace: async () => undefined, onLine: () => undefined,
      prompter: { ...prompter({}), showInvalidFiles: async (message, _lines, location) => { shown.push({ message, location }); } },
    });
    assert.equal(await workflow.run(), false, 'Start Cluster ends without starting');
    assert.equal(shown.length, 1, 'the files are shown once');
    assert.match(shown[0].message, cli.flavor === 'v1' ? /Unsupported config option for services\.web: 'portz'/ : /Additional property portz is not allowed/);
    assert.deepEqual(shown[0].location, { file: join(dir, 'multiconnect-compose.yml'), line: 5 });
    const project = (await composeFor(dir, cli).prepare()).command.project!;
    assert.deepEqual(await docker.listProjectContainers(project), [], 'nothing was started');
    writeFileSync(join(dir, 'multiconnect-compose.yml'), 'services:\n  web:\n    image: x\n   ports: [1]\n');
    const yaml = await composeFilesProblem(composeFor(dir, cli));
    assert.equal(yaml?.location?.file, join(dir, 'multiconnect-compose.yml'));
    writeFileSync(join(dir, 'multiconnect-compose.yml'), composeFile());
    assert.equal(await composeFilesProblem(composeFor(dir, cli)), undefined, 'valid files: no problem');
  });

  it('compose CLI missing: names every command it tried and how to get one', async () => {
    await assert.rejects(resolveComposeCli('auto', execProbe({ ...process.env, PATH: '/nonexistent' })), (e: Error) => e instanceof ComposeMissingError
      && /tried "docker compose" \(docker is not on PATH\) and "docker-compose" \(docker-compose is not on PATH\)\. Install Compose v2/.test(e.message));
  });
});
