// Folders written by Create Cluster are valid for the real compose CLIs: `config` (no container is
// created) with docker-compose v1 and, when installed, the v2 plugin, run in the folder as a user would.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { ClusterDatabase, ClusterImages, planClusterFolder } from '../../src/create/clusterFolderPlan';
import { templatesIn, writeClusterFolder } from '../../src/create/clusterFolderWriter';

const templates = templatesIn(join(__dirname, '..', '..', 'emulator', 'compose'));
const root = mkdtempSync(join(tmpdir(), 'waba-created-'));
after(() => rmSync(root, { recursive: true, force: true }));

const clis = [
  { name: 'docker-compose v1', file: 'docker-compose', prefix: [] as string[] },
  { name: 'compose v2 plugin', file: 'docker', prefix: ['compose'] },
].map((cli) => ({ ...cli, missing: spawnSync(cli.file, [...cli.prefix, 'version'], { stdio: 'ignore' }).status !== 0 }));

/** Runs compose in the folder with a clean environment (no WA_API_VERSION or COMPOSE_FILE of ours): .env must suffice. */
function compose(cli: (typeof clis)[number], dir: string, args: string[]): string {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(WA_|COMPOSE_|WABA_)/.test(k)));
  const r = spawnSync(cli.file, [...cli.prefix, ...args], { cwd: dir, env, encoding: 'utf8' });
  assert.equal(r.status, 0, `${cli.file} ${[...cli.prefix, ...args].join(' ')} in ${dir}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** Service name -> image, from the merged configuration compose prints. */
const servicesOf = (config: string) => Object.fromEntries(Object.entries((parse(config) as { services: Record<string, { image: string }> }).services).map(([name, s]) => [name, s.image]));

let n = 0;
function write(db: ClusterDatabase, images: ClusterImages, coreapps: number): string {
  const name = `created${db}${images}${coreapps}x${n++}`;
  return writeClusterFolder(join(root, name), planClusterFolder({ folderName: name, db, version: '2.53.1', images, coreapps }, templates).files);
}

for (const cli of clis) {
  describe(`written cluster folders under ${cli.name}`, { skip: cli.missing && `${cli.file} ${cli.prefix.join(' ')} is not installed` }, () => {
    // Both databases, both kinds of images, 3 and 33 coreapps, in 4 runs (v1 takes ~3 s a run).
    for (const [db, images, coreapps] of [['mysql', 'meta', 3], ['mysql', 'emulator', 33], ['postgres', 'emulator', 3], ['postgres', 'meta', 33]] as const) {
      it(`${db}, ${images} images, ${coreapps} coreapps: every service, on the chosen images and version`, () => {
        const services = servicesOf(compose(cli, write(db, images, coreapps), ['config']));
        const coreapp = Array.from({ length: coreapps }, (_, i) => `wacore${i + 1}`);
        assert.deepEqual(Object.keys(services).sort(), ['db', 'master1', 'master2', 'waweb', ...coreapp].sort());
        const prefix = images === 'meta' ? 'docker.whatsapp.biz' : 'waba-emulator';
        for (const name of ['master1', 'master2', ...coreapp]) assert.equal(services[name], `${prefix}/coreapp:v2.53.1`, name);
        assert.equal(services.waweb, `${prefix}/web:v2.53.1`);
        const dbImage = db === 'mysql' ? 'mysql:8.0.33' : 'postgres:13.8';
        assert.equal(services.db, images === 'meta' ? dbImage : `waba-emulator/${dbImage}`);
      });
    }
    for (const images of ['meta', 'emulator'] as const) {
      it(`mysql, ${images} images: the DB upgrade job's files put it on the cluster network`, () => {
        const dir = write('mysql', images, 3);
        const project = dir.split('/').pop()!.toLowerCase();
        const job = images === 'meta' ? 'docker-compose.dbupgrade.network.yml' : 'docker-compose.dbupgrade.emulator.yml';
        const { dbupgrade } = (parse(compose(cli, dir, ['-f', 'dbupgrade-compose.yml', '-f', job, 'config'])) as { services: Record<string, { image: string; network_mode: string }> }).services;
        assert.equal(dbupgrade.network_mode, `${project}_default`);
        assert.equal(dbupgrade.image, `${images === 'meta' ? 'docker.whatsapp.biz' : 'waba-emulator'}/coreapp:v2.53.1`);
      });
    }
  });
}
