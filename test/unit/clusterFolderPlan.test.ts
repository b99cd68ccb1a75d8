import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { findClusterFolder } from '../../src/compose/clusterFolder';
import { ClusterChoiceError, ClusterFolderChoices, planClusterFolder, shardsWithStandby } from '../../src/create/clusterFolderPlan';
import { ClusterFolderExistsError, templatesIn, writeClusterFolder } from '../../src/create/clusterFolderWriter';
import { dbPasswordNotes, dbPasswordProblem } from '../../src/create/dbPassword';

const COMPOSE_DIR = join(__dirname, '..', '..', 'emulator', 'compose');
const templates = templatesIn(COMPOSE_DIR);
const meta = (db: string, name: string) => readFileSync(join(COMPOSE_DIR, 'meta', db, name), 'utf8');
const plan = (choices: Partial<ClusterFolderChoices>) => planClusterFolder({ folderName: 'biz', db: 'mysql', version: '2.53.1', ...choices }, templates);
const fileOf = (p: ReturnType<typeof plan>, name: string) => p.files.find((f) => f.name === name)?.text;
type Services = Record<string, { image?: string; command?: string[]; environment?: Record<string, unknown> }>;
const servicesOf = (text: string | undefined) => (parse(text ?? '') as { services: Services }).services;

function withTemp(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'waba-plan-'));
  try { fn(dir); } finally { rmSync(dir, { recursive: true, force: true }); }
}

describe('cluster folder plan: Meta\'s files unchanged, overrides only when needed', () => {
  for (const db of ['mysql', 'postgres'] as const) {
    it(`${db}, Meta's images, 3 coreapps: Meta's files as they are, no override, a .env`, () => {
      const p = plan({ db, images: 'meta' });
      assert.equal(fileOf(p, 'multiconnect-compose.yml'), meta(db, 'multiconnect-compose.yml'));
      assert.equal(fileOf(p, 'db.env'), meta(db, 'db.env'));
      assert.match(fileOf(p, 'multiconnect-compose.yml')!, /^# Copyright \(c\) Facebook, Inc\. and its affiliates\./);
      assert.deepEqual(p.composeFiles, ['multiconnect-compose.yml']);
      assert.equal(fileOf(p, 'docker-compose.emulator.yml'), undefined);
      assert.equal(fileOf(p, 'docker-compose.coreapps.yml'), undefined);
      assert.match(fileOf(p, '.env')!, /^WA_API_VERSION=2\.53\.1$/m);
      assert.match(fileOf(p, '.env')!, /^COMPOSE_FILE=multiconnect-compose\.yml$/m);
    });
    it(`${db}, emulator images: the emulator's image-only override after Meta's file`, () => {
      const p = plan({ db, images: 'emulator' });
      assert.equal(fileOf(p, 'docker-compose.emulator.yml'), readFileSync(join(COMPOSE_DIR, `emulator.${db}.yml`), 'utf8'));
      assert.deepEqual(p.composeFiles, ['multiconnect-compose.yml', 'docker-compose.emulator.yml']);
    });
  }

  it('MySQL gets Meta\'s DB upgrade job, with an override that puts it on the cluster network (Meta\'s bridge has no DNS for db)', () => {
    const metaImages = plan({ images: 'meta', folderName: 'My Biz' });
    assert.equal(fileOf(metaImages, 'dbupgrade-compose.yml'), meta('mysql', 'dbupgrade-compose.yml'));
    assert.equal(metaImages.network, 'mybiz_default');
    assert.match(fileOf(metaImages, '.env')!, /^WA_CLUSTER_NETWORK=mybiz_default$/m);
    assert.match(fileOf(metaImages, '.env')!, /^WABA_DBUPGRADE_COMPOSE_FILE=dbupgrade-compose\.yml:docker-compose\.dbupgrade\.network\.yml$/m);
    const job = servicesOf(fileOf(metaImages, 'docker-compose.dbupgrade.network.yml')).dbupgrade;
    assert.deepEqual(Object.keys(job), ['network_mode'], 'only the network changes; the image stays Meta\'s');
    const emulator = plan({ images: 'emulator' });
    assert.equal(fileOf(emulator, 'docker-compose.dbupgrade.emulator.yml'), readFileSync(join(COMPOSE_DIR, 'emulator.dbupgrade.yml'), 'utf8'));
    assert.equal(fileOf(emulator, 'docker-compose.dbupgrade.network.yml'), undefined);
  });

  it('PostgreSQL: no DB upgrade files (Meta ships none for it)', () => {
    for (const images of ['meta', 'emulator'] as const) {
      const p = plan({ db: 'postgres', images });
      assert.deepEqual(p.files.map((f) => f.name).filter((n) => n.includes('dbupgrade')), []);
      assert.doesNotMatch(fileOf(p, '.env')!, /DBUPGRADE|WA_CLUSTER_NETWORK/);
    }
  });

  for (const images of ['meta', 'emulator'] as const) {
    it(`33 coreapps (${images} images): wacore4–wacore33 modelled on Meta's wacore3, listed after the other files`, () => {
      const p = plan({ coreapps: 33, images, db: 'postgres' });
      assert.equal(p.composeFiles.at(-1), 'docker-compose.coreapps.yml');
      const extra = servicesOf(fileOf(p, 'docker-compose.coreapps.yml'));
      assert.deepEqual(Object.keys(extra), Array.from({ length: 30 }, (_, i) => `wacore${i + 4}`));
      const wacore3 = servicesOf(meta('postgres', 'multiconnect-compose.yml')).wacore3;
      const expectedImage = images === 'meta' ? wacore3.image : servicesOf(readFileSync(join(COMPOSE_DIR, 'emulator.postgres.yml'), 'utf8')).wacore3.image;
      for (const [name, service] of Object.entries(extra)) {
        assert.equal(service.environment?.COREAPP_HOSTNAME, name);
        assert.equal(service.image, expectedImage);
        assert.deepEqual(service.command, wacore3.command, 'the Postgres wait script, as Meta\'s wacore3');
        assert.deepEqual({ ...service.environment, COREAPP_HOSTNAME: 'wacore3' }, wacore3.environment);
      }
      assert.match(fileOf(p, 'docker-compose.coreapps.yml')!, /33 coreapps serve 32 shards/);
    });
  }

  it('refuses choices that cannot work, saying what to pick', () => {
    assert.throws(() => plan({ coreapps: 2 }), (e: Error) => e instanceof ClusterChoiceError && /3 to 33 coreapps/.test(e.message));
    assert.throws(() => plan({ coreapps: 34 }), /3 to 33 coreapps/);
    assert.throws(() => plan({ version: 'latest' }), /must look like 2\.N\.M/);
    assert.throws(() => plan({ folderName: '...' }), /empty compose project name/);
    assert.throws(() => plan({ db: 'oracle' as never }), /mysql or postgres/);
    assert.equal(plan({ version: 'v2.51.2' }).version, '2.51.2');
  });

  it('names the shards a coreapp count serves with one standby', () => {
    assert.deepEqual([3, 4, 5, 9, 17, 33].map(shardsWithStandby), [2, 2, 4, 8, 16, 32]);
  });
});

describe('cluster folder writer', () => {
  it('writes every planned file, and the extension reads the folder back as planned', () => withTemp((root) => {
    const p = plan({ folderName: 'biz', coreapps: 5, images: 'meta' });
    const dir = writeClusterFolder(join(root, 'biz'), p.files);
    assert.deepEqual(readdirSync(dir).sort(), p.files.map((f) => f.name).sort());
    const folder = findClusterFolder([dir], {});
    assert.equal(folder?.project, 'biz');
    assert.equal(folder?.apiVersion, '2.53.1');
    assert.equal(folder?.dbEngine, 'MYSQL');
    assert.deepEqual(folder?.composeFiles, ['multiconnect-compose.yml', 'docker-compose.coreapps.yml']);
    assert.deepEqual(folder?.dbUpgradeFiles, ['dbupgrade-compose.yml', 'docker-compose.dbupgrade.network.yml']);
  }));

  it('refuses to overwrite a cluster folder and leaves it as it was', () => withTemp((root) => {
    const dir = writeClusterFolder(join(root, 'biz'), plan({ db: 'mysql' }).files);
    const before = readFileSync(join(dir, 'db.env'), 'utf8');
    assert.throws(() => writeClusterFolder(dir, plan({ db: 'postgres' }).files), (e: Error) => e instanceof ClusterFolderExistsError && /refusing to overwrite/.test(e.message) && /multiconnect-compose\.yml/.test(e.message));
    assert.equal(readFileSync(join(dir, 'db.env'), 'utf8'), before);
  }));

  it('writes into an existing folder without touching its other files; a failure leaves nothing behind', () => withTemp((root) => {
    writeFileSync(join(root, 'notes.txt'), 'mine');
    writeClusterFolder(root, plan({}).files);
    assert.equal(readFileSync(join(root, 'notes.txt'), 'utf8'), 'mine');
    const blocked = join(root, 'blocked');
    writeClusterFolder(blocked, [{ name: 'README', text: 'x' }]);
    writeFileSync(join(blocked, '.env'), 'keep');
    assert.throws(() => writeClusterFolder(blocked, plan({}).files), ClusterFolderExistsError);
    assert.deepEqual(readdirSync(blocked).sort(), ['.env', 'README']);
  }));

  it('a folder it cannot create: a clear message, and no half-written folder', () => withTemp((root) => {
    writeFileSync(join(root, 'file'), 'not a folder');
    assert.throws(() => writeClusterFolder(join(root, 'file', 'biz'), plan({}).files), /Cannot write the cluster folder .*Nothing was written/);
    assert.deepEqual(readdirSync(root), ['file']);
  }));

  it('with force (scripts only) rewrites the folder and drops files the new choice does not use', () => withTemp((root) => {
    const dir = writeClusterFolder(join(root, 'biz'), plan({ db: 'mysql', coreapps: 5 }).files);
    writeClusterFolder(dir, plan({ db: 'postgres' }).files, { force: true });
    assert.equal(readFileSync(join(dir, 'db.env'), 'utf8'), meta('postgres', 'db.env'));
    assert.deepEqual(readdirSync(dir).sort(), ['.env', 'db.env', 'docker-compose.emulator.yml', 'multiconnect-compose.yml']);
  }));
});

describe('DB password explanation', () => {
  it('explains where Meta\'s password lives, both places, and the characters that break the client', () => {
    for (const db of ['mysql', 'postgres']) {
      const notes = dbPasswordNotes(meta(db, 'db.env'), meta(db, 'multiconnect-compose.yml')).join('\n');
      assert.match(notes, /WA_DB_PASSWORD=testpass in db\.env/);
      assert.match(notes, db === 'mysql' ? /MYSQL_ROOT_PASSWORD/ : /POSTGRES_PASSWORD/);
      assert.match(notes, /before the first Start Cluster/);
      assert.match(notes, /\? \{ \} & ~ ! \( \) \^ =/);
      assert.doesNotMatch(notes, /Warning/);
    }
  });
  it('warns about a password with breaking characters, or one the db service does not share', () => {
    const notes = dbPasswordNotes('WA_DB_PASSWORD=pa?ss!\n', 'services:\n  db:\n    environment:\n      MYSQL_ROOT_PASSWORD: other\n').join('\n');
    assert.match(notes, /Warning: WA_DB_PASSWORD contains \? !/);
    assert.match(notes, /Warning: WA_DB_PASSWORD and MYSQL_ROOT_PASSWORD differ/);
    assert.equal(dbPasswordProblem('S3cure-pass_word.'), undefined);
    assert.match(dbPasswordProblem('a=b') ?? '', /contains =/);
  });
});
