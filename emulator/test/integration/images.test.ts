// The emulator images and compose plumbing against the real Docker engine and docker-compose 1.29:
//   (a) waba-emulator/mysql:8.0.33 under Meta's multiconnect-compose.yml (MySQL clients, restart)
//   (b) waba-emulator/postgres:13.8 under Meta's postgres/multiconnect-compose.yml (`-p 3306 -N 500`)
//   (c) waba-emulator/{coreapp,web}:v<VERSION>: Meta's script paths, env, labels, wait_on_* behaviour
//   (d) the DB upgrade job's network override (docker-compose.dbupgrade.emulator.yml)
//   node --import tsx --test --test-concurrency=1 emulator/test/integration/images.test.ts
// Builds the images first (emulator/scripts/build-images.sh, fast when warm); set
// WA_EMULATOR_SKIP_BUILD=1 to use the images as they are. Tests run serially: Meta's compose files
// publish the fixed host ports 9090 and 33060.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { Client as PgClient } from 'pg';
import { waitForPublishedPortsFree } from '../support/compose-cluster';
import { waitFor } from '../support/waba-client';

const repo = join(__dirname, '..', '..', '..');
const PASSWORD = 'testpass'; // Meta's compose files and db.env
const versions = readFileSync(join(repo, 'emulator', 'versions.txt'), 'utf8')
  .split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
const VERSION = versions[versions.length - 1];
/** The emulator images of this checkout (emulator/README.md: WABA_EMULATOR_IMAGES). */
const IMAGES = process.env.WABA_EMULATOR_IMAGES || 'waba-emulator';

interface RunResult { code: number; stdout: string; stderr: string; ms: number }

/** Runs a command; never throws for a non-zero exit (the caller asserts on `code`). */
function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(cmd, args, {
      cwd: opts.cwd, env: { ...process.env, ...opts.env }, timeout: opts.timeoutMs ?? 300_000, maxBuffer: 64 * 1024 * 1024,
    }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr), ms: Date.now() - started });
    });
  });
}

async function ok(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<string> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}



interface Folder { dir: string; project: string; network: string; files: string[] }

/** A throwaway cluster folder (cluster-folder.mjs); `fn` runs in it, then everything is removed. */
async function withClusterFolder(db: 'mysql' | 'postgres', fn: (f: Folder) => Promise<void>): Promise<void> {
  await waitForPublishedPortsFree();
  const { createClusterFolder } = await import('../../scripts/cluster-folder.mjs');
  const root = mkdtempSync(join(tmpdir(), 'waba-images-'));
  const folder = createClusterFolder({ dir: join(root, `imgtest${db}${randomBytes(3).toString('hex')}`), db, version: VERSION });
  try {
    await fn(folder);
  } finally {
    const down = await run('docker-compose', ['down', '-v', '--remove-orphans', '-t', '10'], { cwd: folder.dir });
    if (down.code !== 0) console.log(`# cleanup: docker-compose down exited ${down.code}: ${down.stderr}`);
    const label = `label=com.docker.compose.project=${folder.project}`;
    const left = (await run('docker', ['ps', '-aq', '--filter', label])).stdout.trim();
    if (left) await run('docker', ['rm', '-fv', ...left.split(/\s+/)]);
    const vols = (await run('docker', ['volume', 'ls', '-q', '--filter', label])).stdout.trim();
    if (vols) await run('docker', ['volume', 'rm', '-f', ...vols.split(/\s+/)]);
    const nets = (await run('docker', ['network', 'ls', '-q', '--filter', label])).stdout.trim();
    if (nets) await run('docker', ['network', 'rm', ...nets.split(/\s+/)]);
    rmSync(root, { recursive: true, force: true });
  }
}

const compose = (f: Folder, args: string[], env: NodeJS.ProcessEnv = {}) => ok('docker-compose', args, { cwd: f.dir, env });

/**
 * `docker-compose up -d`/`start` for a service that publishes Meta's fixed host ports. Other test
 * files may bring up their own cluster between our port check and our start (the engine is shared);
 * then Docker answers "port is already allocated": wait until the ports are free and try again.
 */
async function startPublishing(f: Folder, args: string[]): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    await waitForPublishedPortsFree();
    const r = await run('docker-compose', args, { cwd: f.dir });
    if (r.code === 0) return;
    const out = r.stdout + r.stderr;
    if (!/port is already allocated/.test(out) || Date.now() > deadline) {
      throw new Error(`docker-compose ${args.join(' ')} exited ${r.code}\n${out}`);
    }
    console.log('# host port taken by another cluster meanwhile; waiting and retrying');
  }
}
const containerOf = async (f: Folder, service: string) => (await compose(f, ['ps', '-q', service])).trim();
const logsOf = async (f: Folder, service: string) => {
  const r = await run('docker', ['logs', await containerOf(f, service)]);
  return r.stdout + r.stderr;
};
async function exitCodeOf(f: Folder, service: string): Promise<number> {
  return Number((await ok('docker', ['inspect', '-f', '{{.State.ExitCode}}', await containerOf(f, service)])).trim());
}

before(async () => {
  if (process.env.WA_EMULATOR_SKIP_BUILD === '1') return;
  const r = await run('bash', [join(repo, 'emulator', 'scripts', 'build-images.sh')], { cwd: repo, timeoutMs: 40 * 60_000 });
  console.log(r.stdout.split('\n').filter(Boolean).map((l) => `# ${l}`).join('\n'));
  if (r.code !== 0) throw new Error(`build-images.sh exited ${r.code}\n${r.stderr}`);
}, { timeout: 41 * 60_000 });

after(async () => {
  // Nothing of ours may survive: no project of this file is left running.
  const left = (await run('docker', ['ps', '-a', '--format', '{{.Names}}'])).stdout.split('\n').filter((n) => n.startsWith('imgtest'));
  assert.deepEqual(left, [], 'containers left behind');
});

test('(a) mysql:8.0.33 stand-in under Meta\'s compose: root and MYSQL_USER log in over 33060, data survives a restart', { timeout: 25 * 60_000 }, async () => {
  await withClusterFolder('mysql', async (f) => {
    // The folder's .env (COMPOSE_FILE) alone makes a plain docker-compose use the emulator images.
    const config = await compose(f, ['config']);
    assert.match(config, new RegExp(`image: ${IMAGES}/mysql:8\\.0\\.33`));
    assert.match(config, new RegExp(`image: ${IMAGES}/coreapp:v${VERSION.replace(/\./g, '\\.')}`));
    assert.doesNotMatch(config, /image: (mysql:|docker\.whatsapp\.biz)/);

    await startPublishing(f, ['up', '-d', 'db']);
    // Meta's "33060:3306" listens on loopback only (the override's network option), not on every address.
    const published = execFileSync('docker', ['port', `${f.project}_db_1`, '3306/tcp'], { encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual(published, ['127.0.0.1:33060']);
    const connect = (user: string, password = PASSWORD) =>
      mysql.createConnection({ host: '127.0.0.1', port: 33060, user, password, connectTimeout: 5000 });
    const root = await waitFor('root login on 127.0.0.1:33060', 180_000, () => connect('root'));
    const token = randomBytes(8).toString('hex');
    try {
      const [who] = await root.query('SELECT CURRENT_USER() AS u');
      assert.equal((who as Array<{ u: string }>)[0].u, 'root@%');
      const [plugin] = await root.query("SELECT plugin FROM mysql.user WHERE user = 'root' AND host = '%'");
      assert.equal((plugin as Array<{ plugin: string }>)[0].plugin, 'mysql_native_password');
      await root.query('CREATE DATABASE imgtest');
      await root.query('CREATE TABLE imgtest.notes (id INT PRIMARY KEY, token VARCHAR(64) NOT NULL)');
      await root.query('INSERT INTO imgtest.notes VALUES (1, ?)', [token]);
    } finally {
      await root.end();
    }

    const user = await connect('testuser');
    try {
      const [rows] = await user.query('SELECT CURRENT_USER() AS u, 6 * 7 AS answer');
      assert.deepEqual(rows, [{ u: 'testuser@%', answer: 42 }]);
    } finally {
      await user.end();
    }
    await assert.rejects(connect('root', 'not-the-password'), (e: { code?: string }) => e.code === 'ER_ACCESS_DENIED_ERROR');

    const logs = await logsOf(f, 'db');
    assert.match(logs, /ignoring MySQL-8-only option --default-authentication-plugin/);
    assert.match(logs, /initialising an empty data directory/);

    // Graceful stop (SIGTERM), then start again on the same volume.
    await compose(f, ['stop', '-t', '30', 'db']);
    assert.equal(await exitCodeOf(f, 'db'), 0, 'mariadbd exits 0 on SIGTERM');
    assert.match(await logsOf(f, 'db'), /Shutdown complete/);
    await startPublishing(f, ['start', 'db']);
    const again = await waitFor('root login after restart', 120_000, () => connect('root'));
    try {
      const [rows] = await again.query('SELECT token FROM imgtest.notes WHERE id = 1');
      assert.deepEqual(rows, [{ token }]);
    } finally {
      await again.end();
    }
    assert.match(await logsOf(f, 'db'), /already initialised; reusing it/);
  });
});

test('(b) postgres:13.8 stand-in under Meta\'s compose: root logs in over 33060, "-p 3306 -N 500" honoured, data survives a restart', { timeout: 25 * 60_000 }, async () => {
  await withClusterFolder('postgres', async (f) => {
    const config = await compose(f, ['config']);
    assert.match(config, new RegExp(`image: ${IMAGES}/postgres:13\\.8`));
    assert.doesNotMatch(config, /image: (postgres:|docker\.whatsapp\.biz)/);

    await startPublishing(f, ['up', '-d', 'db']);
    const connect = async (password = PASSWORD, database = 'root') => {
      const c = new PgClient({ host: '127.0.0.1', port: 33060, user: 'root', password, database, connectionTimeoutMillis: 5000 });
      try {
        await c.connect();
      } catch (e) {
        await c.end().catch(() => undefined);
        throw e;
      }
      return c;
    };
    const c = await waitFor('root login on 127.0.0.1:33060', 180_000, () => connect());
    const token = randomBytes(8).toString('hex');
    try {
      assert.equal((await c.query('SHOW max_connections')).rows[0].max_connections, '500');
      assert.equal((await c.query('SHOW port')).rows[0].port, '3306');
      assert.equal((await c.query('SELECT current_user AS u, current_database() AS d')).rows[0].u, 'root');
      await c.query('CREATE TABLE notes (id INT PRIMARY KEY, token TEXT NOT NULL)');
      await c.query('INSERT INTO notes VALUES (1, $1)', [token]);
    } finally {
      await c.end();
    }
    await assert.rejects(connect('not-the-password'), (e: { code?: string }) => e.code === '28P01');

    await compose(f, ['stop', '-t', '30', 'db']);
    assert.equal(await exitCodeOf(f, 'db'), 0, 'postgres exits 0 on the stop signal');
    assert.match(await logsOf(f, 'db'), /database system is shut down/);
    await startPublishing(f, ['start', 'db']);
    const again = await waitFor('root login after restart', 120_000, () => connect());
    try {
      assert.deepEqual((await again.query('SELECT token FROM notes WHERE id = 1')).rows, [{ token }]);
    } finally {
      await again.end();
    }
    assert.match(await logsOf(f, 'db'), /already initialised .*reusing it/);
  });
});

const BIN = ['wait_on_mysql.sh', 'wait_on_postgres.sh', 'launch_within_docker.sh'];

for (const version of versions) {
  for (const image of ['coreapp', 'web'] as const) {
    const ref = `${IMAGES}/${image}:v${version}`;
    test(`(c) ${ref}: Meta's script paths, env, labels, bundle`, { timeout: 120_000 }, async () => {
      const info = JSON.parse(await ok('docker', ['image', 'inspect', ref]))[0];
      const env: string[] = info.Config.Env;
      assert.ok(env.includes(`WA_EMULATOR_VERSION=${version}`), env.join(' '));
      assert.ok(env.includes(`WA_EMULATOR_IMAGE=${image}`), env.join(' '));
      assert.equal(info.Config.Labels['waba-emulator.emulator'], 'true');
      assert.equal(info.Config.Labels['waba-emulator.version'], version);
      assert.equal(info.Config.Labels['waba-emulator.emulates'], `docker.whatsapp.biz/${image}:v${version}`);
      assert.match(info.Config.Labels['waba-emulator.inputs-hash'], /^[0-9a-f]{16}$/);
      const ports = Object.keys(info.Config.ExposedPorts ?? {}).sort();
      assert.deepEqual(ports, image === 'web' ? ['443/tcp'] : ['6250/tcp', '6251/tcp', '6252/tcp', '6253/tcp']);
      assert.equal(info.Config.User, 'whatsapp:whatsapp', 'the program does not run as root');

      const script = [
        ...BIN.map((b) => `test -x /opt/whatsapp/bin/${b} || { echo "missing /opt/whatsapp/bin/${b}"; exit 1; }`),
        'test -d /usr/local/wamedia || { echo "missing /usr/local/wamedia"; exit 1; }',
        'echo "version=$WA_EMULATOR_VERSION image=$WA_EMULATOR_IMAGE node=$(node --version) uid=$(id -u)"',
        // The node and Webapp log directories and the media mount point are the user's own.
        'for d in /usr/local/wamedia /usr/local/waent/logs /var/log/whatsapp /var/log/lighttpd; do touch "$d/.w" && rm "$d/.w" || { echo "cannot write $d"; exit 1; }; done',
        'test -s /opt/whatsapp/emulator/main.js && node --check /opt/whatsapp/emulator/main.js && echo bundle-ok',
      ].join('\n');
      const out = await ok('docker', ['run', '--rm', '--network', 'none', '--entrypoint', 'bash', ref, '-c', script]);
      assert.match(out, new RegExp(`version=${version.replace(/\./g, '\\.')} image=${image} node=v18\\.\\d+\\.\\d+ uid=10001`));
      // (Not compared with emulator/dist/main.js: other work in the tree may re-bundle it at any time.)
      assert.match(out, /bundle-ok/);
    });
  }
}

test('(c) wait_on_mysql.sh gives up clearly when the DB never comes; wait_on_postgres.sh execs the command once the port answers', { timeout: 120_000 }, async () => {
  const ref = `${IMAGES}/coreapp:v${VERSION}`;
  // --network none: the name "db" resolves nowhere and nothing leaves the container.
  const fail = await run('docker', ['run', '--rm', '--network', 'none',
    '-e', 'WA_DB_HOSTNAME=db', '-e', 'WA_DB_PORT=3306', '-e', 'WA_DB_WAIT_SECONDS=4', '-e', 'WA_DB_WAIT_LOG_SECONDS=1',
    ref, '/opt/whatsapp/bin/wait_on_mysql.sh', 'echo', 'COMMAND-RAN']);
  assert.equal(fail.code, 1, `exit code (stdout: ${fail.stdout} stderr: ${fail.stderr})`);
  assert.match(fail.stderr, /ERROR: MySQL at db:3306 did not accept TCP connections within 4s/);
  assert.match(fail.stdout, /still waiting for MySQL at db:3306/);
  assert.doesNotMatch(fail.stdout + fail.stderr, /COMMAND-RAN/);
  assert.ok(fail.ms >= 4000, `gave up after ${fail.ms} ms`);

  // A listener appears on 127.0.0.1:5433 after ~2 s; the script must then exec its arguments.
  const okRun = await run('docker', ['run', '--rm', '--network', 'none',
    '-e', 'WA_DB_HOSTNAME=127.0.0.1', '-e', 'WA_DB_PORT=5433', '-e', 'WA_DB_WAIT_SECONDS=30',
    '--entrypoint', 'bash', ref, '-c',
    'node -e "setTimeout(() => require(\'net\').createServer(s => s.end()).listen(5433), 2000); setTimeout(() => {}, 20000)" & '
    + 'exec /opt/whatsapp/bin/wait_on_postgres.sh bash -c \'echo "COMMAND-RAN $0 $1"\' a b']);
  assert.equal(okRun.code, 0, okRun.stderr);
  assert.match(okRun.stdout, /PostgreSQL at 127\.0\.0\.1:5433 accepts connections/);
  assert.match(okRun.stdout, /COMMAND-RAN a b/);

  const noHost = await run('docker', ['run', '--rm', '--network', 'none', ref, '/opt/whatsapp/bin/wait_on_mysql.sh', 'true']);
  assert.equal(noHost.code, 1);
  assert.match(noHost.stderr, /WA_DB_HOSTNAME is not set/);
});

test('(d) DB upgrade job: the emulator override puts Meta\'s dbupgrade service on the cluster network, where "db" resolves', { timeout: 25 * 60_000 }, async () => {
  await withClusterFolder('mysql', async (f) => {
    await startPublishing(f, ['up', '-d', 'db']);
    const files = ['-f', 'dbupgrade-compose.yml', '-f', 'docker-compose.dbupgrade.emulator.yml'];
    const config = await compose(f, [...files, 'config']);
    assert.match(config, new RegExp(`network_mode: ${f.network}`));
    assert.match(config, new RegExp(`image: ${IMAGES}/coreapp:v`));
    // Only the network is under test here: wait_on_mysql.sh with a harmless command.
    const r = await run('docker-compose', [...files, 'run', '--rm', '-e', 'WA_DB_WAIT_SECONDS=120', 'dbupgrade',
      '/opt/whatsapp/bin/wait_on_mysql.sh', 'echo', 'DB-REACHED'], { cwd: f.dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /MySQL at db:3306 accepts connections/);
    assert.match(r.stdout, /DB-REACHED/);
  });
});

test('(e) cluster-folder.mjs: Meta\'s files verbatim, override, .env; refuses to overwrite without force', async () => {
  const { createClusterFolder } = await import('../../scripts/cluster-folder.mjs');
  const root = mkdtempSync(join(tmpdir(), 'waba-folder-'));
  try {
    const dir = join(root, 'My Biz');
    const f = createClusterFolder({ dir, db: 'mysql', version: 'v2.51.2' });
    assert.equal(f.project, 'mybiz');
    assert.equal(f.network, 'mybiz_default');
    assert.equal(f.version, '2.51.2');
    const read = (p: string) => readFileSync(p, 'utf8');
    for (const name of ['multiconnect-compose.yml', 'db.env', 'dbupgrade-compose.yml']) {
      assert.equal(read(join(dir, name)), read(join(repo, 'emulator', 'compose', 'meta', 'mysql', name)), name);
    }
    assert.match(read(join(dir, 'multiconnect-compose.yml')), /^# Copyright \(c\) Facebook, Inc\. and its affiliates\./);
    assert.equal(read(join(dir, 'docker-compose.emulator.yml')), read(join(repo, 'emulator', 'compose', 'emulator.mysql.yml')));
    const env = read(join(dir, '.env'));
    assert.match(env, /^WA_API_VERSION=2\.51\.2$/m);
    assert.match(env, /^COMPOSE_FILE=multiconnect-compose\.yml:docker-compose\.emulator\.yml$/m);
    assert.match(env, /^WA_CLUSTER_NETWORK=mybiz_default$/m);
    // The override leaves everything but image: lines (and the loopback binding of published ports) to Meta's file.
    const override = read(join(dir, 'docker-compose.emulator.yml')).split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
    const loopbackOnly = ['networks:', '  default:', '    driver_opts:', '      com.docker.network.bridge.host_binding_ipv4: "127.0.0.1"'];
    assert.deepEqual(override.filter((l) => !/^(version: '3'|services:|  [a-z0-9]+:|    image: .+)$/.test(l) && !loopbackOnly.includes(l)), []);

    assert.throws(() => createClusterFolder({ dir, db: 'postgres' }), /refusing to overwrite/);
    assert.equal(read(join(dir, 'db.env')), read(join(repo, 'emulator', 'compose', 'meta', 'mysql', 'db.env')), 'untouched after refusal');
    createClusterFolder({ dir, db: 'postgres', force: true });
    assert.equal(read(join(dir, 'db.env')), read(join(repo, 'emulator', 'compose', 'meta', 'postgres', 'db.env')));
    assert.throws(() => createClusterFolder({ dir: join(root, 'x'), version: '3.1' }), /2\.N\.M/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
