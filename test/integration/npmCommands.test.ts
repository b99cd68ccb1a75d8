// `npm test` and `npm start` as a user runs them, against each other: a cluster outside the tests
// on the cluster ports stops `npm test` at once with its name and how to stop it; a test run's cluster
// stops `npm start` at once; `npm start` serves VS Code with a connection token that its printed URL
// carries. The scripts run with WABA_CLUSTER_PORTS set to free ports of this test and a lock of its
// own, so the machine's real cluster ports and lock (other test runs) are never touched.
// Ctrl+C in `npm start` is SIGINT to its process group, as a terminal sends it; that `npm start` runs
// in a network namespace of this test and starts its own engine there (scripts/setup-docker.sh with
// WABA_DOCKERD_ROOT), so the machine's shared engine is never stopped.
import assert from 'node:assert/strict';
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { AddressInfo, Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeEngineNamespace, removeEngine } from '../support/secondEngine';
import { buildTinyImage, removeTinyImage } from '../support/tinyImage';

const ROOT = join(__dirname, '..', '..');
const DEMO_PROJECT = `demobiz${process.pid}`;

const spawnSyncQuiet = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'ignore' });

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address() as AddressInfo; s.close(() => resolve(port)); });
  });
}

/** Runs a script to its end (at most `timeoutMs`): exit code, output and how long it took. */
function runScript(script: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; out: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts', script), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { out += c; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, out, ms: Date.now() - started }); });
  });
}

/** Resolves with the first match of `pattern` in the child's output; rejects if it exits first or after `ms`. */
function waitForOutput(child: ChildProcess, pattern: RegExp, ms: number, out: { text: string }): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${pattern} not printed within ${ms / 1000} s:\n${out.text.slice(-3000)}`)), ms);
    const look = (chunk: Buffer) => {
      out.text += chunk;
      const m = pattern.exec(out.text);
      if (m) { clearTimeout(timer); resolve(m); }
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', look);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`exited (${code}) before printing ${pattern}:\n${out.text.slice(-3000)}`)); });
  });
}

/** Process group and session of a process (/proc/<pid>/stat fields 5 and 6). */
function groupAndSession(pid: number): { pgrp: number; session: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  return { pgrp: Number(fields[2]), session: Number(fields[3]) };
}

function httpGet(url: string, cookie?: string): Promise<{ status: number; location?: string; cookie?: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: cookie ? { cookie } : {} }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, location: res.headers.location, cookie: res.headers['set-cookie']?.map((c) => c.split(';')[0]).join('; ') });
    }).on('error', reject).end();
  });
}

describe('npm test and npm start around the cluster ports', () => {
  let ports: number[];
  let work: string;
  let env: NodeJS.ProcessEnv;
  let container: string | undefined;
  let image: string;

  before(async () => {
    image = buildTinyImage();
    ports = [await freePort(), await freePort()];
    work = mkdtempSync(join(tmpdir(), 'waba-npm-'));
    env = { ...process.env, WABA_CLUSTER_PORTS: ports.join(','), WABA_CLUSTER_PORTS_LOCK: join(work, 'ports.lock') };
  });

  after(() => {
    if (container) execFileSync('docker', ['rm', '-f', container], { stdio: 'ignore' });
    removeTinyImage();
    rmSync(work, { recursive: true, force: true });
  });

  it('npm test stops at once when a cluster outside the tests holds the ports, naming it and how to stop it', async () => {
    container = execFileSync('docker', ['run', '-d', '--stop-signal', 'SIGKILL', '-p', `127.0.0.1:${ports[0]}:80`,
      '--label', `com.docker.compose.project=${DEMO_PROJECT}`, '--label', `com.docker.compose.project.working_dir=${join(work, '.demo', 'biz')}`, image], { encoding: 'utf8' }).trim();
    const r = await runScript('test.mjs', ['integration'], env, 60_000);
    assert.equal(r.code, 1, r.out);
    assert.ok(r.ms < 20_000, `took ${r.ms} ms: it must stop before building or starting anything`);
    assert.match(r.out, new RegExp(`Compose project "${DEMO_PROJECT}" \\(folder ${join(work, '.demo', 'biz')}\\) publishes`));
    assert.match(r.out, new RegExp(`docker compose -p ${DEMO_PROJECT} down`));
    assert.match(r.out, /^0 passed, 1 failed$/m);
    assert.doesNotMatch(r.out, /=== build/);
    execFileSync('docker', ['rm', '-f', container], { stdio: 'ignore' });
    container = undefined;
  });

  it('a cluster that an interrupted test run left on the ports is removed with its volume and network; a user cluster is not', async () => {
    const leftover = `wabae2eleft${process.pid}`;
    const folder = join(mkdtempSync(join(tmpdir(), 'waba-ext-tests-')), 'run7', leftover);
    const labels = (project: string, dir: string) => ['--label', `com.docker.compose.project=${project}`, '--label', `com.docker.compose.project.working_dir=${dir}`];
    const made = { network: `${leftover}_default`, volume: `${leftover}_mysqlData` };
    execFileSync('docker', ['network', 'create', '--label', `com.docker.compose.project=${leftover}`, made.network], { stdio: 'ignore' });
    execFileSync('docker', ['volume', 'create', '--label', `com.docker.compose.project=${leftover}`, made.volume], { stdio: 'ignore' });
    const left = execFileSync('docker', ['run', '-d', '--stop-signal', 'SIGKILL', '--network', made.network, '-v', `${made.volume}:/data`, '-p', `127.0.0.1:${ports[0]}:80`, ...labels(leftover, folder), image], { encoding: 'utf8' }).trim();
    container = execFileSync('docker', ['run', '-d', '--stop-signal', 'SIGKILL', '-p', `127.0.0.1:${ports[1]}:80`, ...labels(DEMO_PROJECT, join(work, '.demo', 'biz')), image], { encoding: 'utf8' }).trim();
    const module = join(ROOT, 'scripts', 'lib', 'cluster-ports.mjs');
    try {
      const out = execFileSync(process.execPath, ['--input-type=module', '-e',
        `const m = await import(${JSON.stringify(module)}); console.log(JSON.stringify(m.removeLeftoverTestClusters()));`], { env, encoding: 'utf8' });
      assert.deepEqual(JSON.parse(out), [{ project: leftover, folder }]);
      const exists = (kind: string, name: string) => execFileSync('docker', [kind, 'ls', '-q', '--filter', `name=${name}`], { encoding: 'utf8' }).trim() !== '';
      assert.equal(execFileSync('docker', ['ps', '-aq', '--filter', `id=${left}`], { encoding: 'utf8' }).trim(), '', 'the leftover container is gone');
      assert.ok(!exists('volume', made.volume) && !exists('network', made.network), 'its volume and network are gone');
      assert.notEqual(execFileSync('docker', ['ps', '-q', '--filter', `id=${container}`], { encoding: 'utf8' }).trim(), '', 'the user cluster still runs');
    } finally {
      execFileSync('docker', ['rm', '-fv', left, container], { stdio: 'ignore' });
      container = undefined;
      spawnSyncQuiet('docker', ['network', 'rm', made.network]);
      spawnSyncQuiet('docker', ['volume', 'rm', made.volume]);
      rmSync(join(folder, '..', '..'), { recursive: true, force: true });
    }
  });

  it("npm start stops at once while a test run's cluster holds the ports, naming that run", async () => {
    // This process plays the test run: it holds the (test's own) lock and a port.
    const lock = join(work, 'ports.lock');
    mkdirSync(lock);
    writeFileSync(join(lock, 'owner.json'), JSON.stringify({ pid: process.pid, owner: 'npm test (integration)', since: new Date().toISOString() }));
    const listener = await new Promise<Server>((resolve) => { const s = createServer().listen(ports[1], '127.0.0.1', () => resolve(s)); });
    try {
      const r = await runScript('start.mjs', [], env, 60_000);
      assert.equal(r.code, 1, r.out);
      assert.ok(r.ms < 20_000, `took ${r.ms} ms`);
      assert.match(r.out, new RegExp(`npm test \\(integration\\) \\(pid ${process.pid}, since .*\\) runs a test cluster on ports 9090 and 33060`));
      assert.match(r.out, new RegExp(`kill ${process.pid}`));
    } finally {
      listener.close();
      rmSync(lock, { recursive: true, force: true });
    }
  });

  it('npm start serves VS Code only with the connection token its printed URL carries', { timeout: 600_000 }, async () => {
    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs')], {
      cwd: ROOT, env: { ...env, PORT: String(port), WABA_START_SKIP_IMAGES: '1' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
    });
    let out = '';
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed within 9 min:\n${out.slice(-3000)}`)), 540_000);
        const look = (chunk: Buffer) => {
          out += chunk;
          const m = new RegExp(`http://127\\.0\\.0\\.1:${port}/\\?\\S+`).exec(out);
          if (m) { clearTimeout(timer); resolve(m[0]); }
        };
        child.stdout!.on('data', look);
        child.stderr!.on('data', look);
        child.on('exit', (code) => reject(new Error(`npm start exited (${code}) before printing a URL:\n${out.slice(-3000)}`)));
      });
      const token = new URL(url).searchParams.get('tkn');
      assert.ok(token && token.length >= 32, `the printed URL carries a connection token: ${url}`);
      assert.equal((await httpGet(`http://127.0.0.1:${port}/`)).status, 403, 'without the token the workbench is refused');
      assert.equal((await httpGet(`http://127.0.0.1:${port}/?tkn=wrong`)).status, 403, 'a wrong token is refused');
      // The printed URL: the server keeps the token in a cookie and sends the browser on to the workbench.
      const first = await httpGet(url);
      assert.equal(first.status, 302);
      assert.match(first.cookie ?? '', /vscode-tkn=/);
      const workbench = await httpGet(new URL(first.location!, url).toString(), first.cookie);
      assert.equal(workbench.status, 200, 'the printed URL opens the workbench');
    } finally {
      try { process.kill(-child.pid!, 'SIGINT'); } catch { /* gone */ }
      await new Promise((r) => { if (child.exitCode !== null) r(undefined); else child.on('exit', r); setTimeout(r, 15_000); });
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
    }
  });

  it('Ctrl+C in npm start (SIGINT to its process group) leaves the engine it started and every node of the demo cluster running, as it says', { timeout: 900_000 }, async () => {
    const engine = makeEngineNamespace();
    const dockerHost = `unix://${engine.root}/docker.sock`;
    const docker = (...args: string[]) => execFileSync('docker', ['-H', dockerHost, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const demo = mkdtempSync(join(tmpdir(), 'waba-start-demo-'));
    const images = process.env.WABA_EMULATOR_IMAGES || 'waba-emulator';
    const [oldest] = readFileSync(join(ROOT, 'emulator', 'versions.txt'), 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
    // nsenter execs start.mjs (no fork): the group leader is `npm start` itself, as in a terminal.
    const child = spawn('nsenter', [`--net=/var/run/netns/${engine.ns}`, process.execPath, join(ROOT, 'scripts', 'start.mjs')], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
      env: { ...env, PORT: '8080', WABA_START_SKIP_IMAGES: '1', WABA_DEMO_DIR: demo, WABA_DOCKERD_ROOT: engine.root, DOCKER_HOST: dockerHost },
    });
    const out = { text: '' };
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      await waitForOutput(child, /http:\/\/127\.0\.0\.1:8080\/\?\S+/, 540_000, out);
      assert.match(out.text, /\[setup-docker\] starting dockerd in a session of its own/);
      const dockerd = Number(readFileSync(join(engine.root, 'docker.pid'), 'utf8'));
      const own = groupAndSession(dockerd);
      assert.notEqual(own.pgrp, child.pid, "the engine is not in npm start's process group");
      assert.notEqual(own.session, groupAndSession(child.pid!).session, "nor in its session (the terminal's)");

      // Start Cluster, as the walkthrough's first step does: the guide's up -d in the demo folder.
      execFileSync('sh', ['-c', `docker save ${images}/mysql:8.0.33 ${images}/coreapp:v${oldest} ${images}/web:v${oldest} | docker -H ${dockerHost} load -q`], { stdio: 'ignore' });
      execFileSync('docker', ['compose', 'up', '-d'], { cwd: join(demo, 'biz'), env: { ...process.env, DOCKER_HOST: dockerHost }, stdio: 'ignore' });
      const nodes = () => docker('ps', '-a', '--filter', 'label=com.docker.compose.project=biz', '--format', '{{.ID}} {{.Label "com.docker.compose.service"}} {{.State}}').trim().split('\n').filter(Boolean).sort();
      const before = nodes();
      assert.deepEqual(before.map((l) => l.split(' ').slice(1).join(' ')).sort(), ['db', 'master1', 'master2', 'wacore1', 'wacore2', 'wacore3', 'waweb'].map((n) => `${n} running`));
      const started = docker('inspect', '-f', '{{.State.StartedAt}}', ...before.map((l) => l.split(' ')[0]));

      process.kill(-child.pid!, 'SIGINT');
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running after 60 s'), 60_000))]);
      assert.equal(code, 0, out.text.slice(-2000));
      assert.match(out.text, /\[start\] The demo cluster keeps running \(7 containers, ports 9090 and 33060\)\./);
      // A dying engine stops answering within seconds (it stops its containers first): watch it for 10 s.
      for (const until = Date.now() + 10_000; Date.now() < until; await new Promise((r) => setTimeout(r, 500))) {
        assert.doesNotThrow(() => process.kill(dockerd, 0), 'the engine process is alive');
        assert.deepEqual(nodes(), before, 'every node still runs, the same containers');
      }
      assert.equal(docker('inspect', '-f', '{{.State.StartedAt}}', ...before.map((l) => l.split(' ')[0])), started, 'no node was restarted');
      assert.equal(docker('info', '--format', '{{.ServerVersion}}').trim() !== '', true, 'the engine answers');
    } finally {
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
      await removeEngine(engine.root);
      rmSync(demo, { recursive: true, force: true });
    }
  });
});
