// `npm test` and `npm start` as a user runs them, against each other: a cluster outside the tests
// on the cluster ports stops `npm test` at once with its name and how to stop it; a test run's cluster
// stops `npm start` at once; `npm start` serves VS Code with a connection token that its printed URL
// carries. The scripts run with WABA_CLUSTER_PORTS set to free ports of this test and a lock of its
// own, so the machine's real cluster ports and lock (other test runs) are never touched.
import assert from 'node:assert/strict';
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { AddressInfo, Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
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
});
