#!/usr/bin/env node
// Writes a cluster folder like the developer guide's ~/biz, wired to the emulator images:
//   multiconnect-compose.yml, db.env          Meta's files, verbatim (MySQL or PostgreSQL flavour)
//   dbupgrade-compose.yml                     Meta's DB upgrade job (MySQL only, as in Meta's repo)
//   docker-compose.emulator.yml               our override: swaps the image: lines only
//   docker-compose.dbupgrade.emulator.yml     (MySQL) image + network override for the upgrade job
//   .env                                      WA_API_VERSION and COMPOSE_FILE, so that a plain
//                                             `docker-compose up -d ...` in the folder uses both files
// Plain Node ESM, no dependencies.
//   import { createClusterFolder } from './cluster-folder.mjs'
//   node emulator/scripts/cluster-folder.mjs <dir> [--db mysql|postgres] [--version 2.53.1] [--force]
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const emulatorDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const composeDir = join(emulatorDir, 'compose');

/** Versions we build images for by default (emulator/versions.txt), oldest first. */
export function knownVersions() {
  const file = join(emulatorDir, 'versions.txt');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
}

/** The compose project name docker-compose 1.29 derives from a folder (its normalize_name). */
export function composeProjectName(dir) {
  return basename(resolve(dir)).toLowerCase().replace(/[^-_a-z0-9]/g, '');
}

/**
 * @param {{ dir: string, db?: 'mysql'|'postgres', version?: string, force?: boolean }} opts
 * @returns {{ dir: string, db: string, version: string, project: string, network: string, files: string[] }}
 */
export function createClusterFolder({ dir, db = 'mysql', version, force = false }) {
  if (!dir) throw new Error('createClusterFolder: dir is required');
  if (db !== 'mysql' && db !== 'postgres') throw new Error(`createClusterFolder: db must be 'mysql' or 'postgres', got '${db}'`);
  const versions = knownVersions();
  const v = String(version ?? versions[versions.length - 1] ?? '').replace(/^v/, '');
  if (!/^2\.\d+\.\d+$/.test(v)) throw new Error(`createClusterFolder: version must look like 2.N.M, got '${version}'`);

  const target = resolve(dir);
  const project = composeProjectName(target);
  if (!project) throw new Error(`createClusterFolder: '${basename(target)}' gives an empty compose project name; pick another folder name`);
  const network = `${project}_default`;
  const meta = join(composeDir, 'meta', db);
  const read = (p) => readFileSync(p, 'utf8');

  /** @type {Array<[string, string]>} */
  const files = [
    ['multiconnect-compose.yml', read(join(meta, 'multiconnect-compose.yml'))],
    ['db.env', read(join(meta, 'db.env'))],
    ['docker-compose.emulator.yml', read(join(composeDir, `emulator.${db}.yml`))],
  ];
  if (db === 'mysql') {
    files.push(['dbupgrade-compose.yml', read(join(meta, 'dbupgrade-compose.yml'))]);
    files.push(['docker-compose.dbupgrade.emulator.yml', read(join(composeDir, 'emulator.dbupgrade.yml'))]);
  }
  const env = [
    '# Read by docker-compose from the folder it runs in.',
    '# Image tag of the WhatsApp Business API images (emulated: waba-emulator/{web,coreapp}:v<version>).',
    `WA_API_VERSION=${v}`,
    "# Meta's compose file + the emulator override (image: lines only). An explicit -f replaces this list.",
    'COMPOSE_FILE=multiconnect-compose.yml:docker-compose.emulator.yml',
    'COMPOSE_PATH_SEPARATOR=:',
  ];
  if (db === 'mysql') {
    env.push(
      '# Network the DB upgrade job joins (docker-compose.dbupgrade.emulator.yml): <project>_default.',
      `WA_CLUSTER_NETWORK=${network}`,
      '# The DB upgrade job\'s compose files, for the VS Code extension\'s "Upgrade Cluster" (like COMPOSE_FILE).',
      'WABA_DBUPGRADE_COMPOSE_FILE=dbupgrade-compose.yml:docker-compose.dbupgrade.emulator.yml',
    );
  }
  const namespace = process.env.WABA_EMULATOR_IMAGES;
  if (namespace && namespace !== 'waba-emulator') env.push('# Emulator images of this checkout (emulator/README.md, WABA_EMULATOR_IMAGES).', `WABA_EMULATOR_IMAGES=${namespace}`);
  files.push(['.env', env.join('\n') + '\n']);

  const existing = files.map(([name]) => join(target, name)).filter((p) => existsSync(p));
  if (existing.length && !force) {
    throw new Error(`createClusterFolder: refusing to overwrite existing file(s): ${existing.join(', ')} (pass force: true / --force)`);
  }
  mkdirSync(target, { recursive: true });
  for (const [name, text] of files) writeFileSync(join(target, name), text);
  if (db === 'postgres' && force) {
    // A MySQL folder rewritten as PostgreSQL: Meta has no Postgres upgrade file, drop the MySQL one.
    for (const stale of ['dbupgrade-compose.yml', 'docker-compose.dbupgrade.emulator.yml']) rmSync(join(target, stale), { force: true });
  }
  return { dir: target, db, version: v, project, network, files: files.map(([name]) => name) };
}

function usage() {
  return 'usage: node emulator/scripts/cluster-folder.mjs <dir> [--db mysql|postgres] [--version 2.N.M] [--force]';
}

function main(argv) {
  const opts = { db: 'mysql', force: false };
  let dir;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (a.includes('=')) return a.slice(a.indexOf('=') + 1);
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value\n${usage()}`);
      return argv[++i];
    };
    if (a === '--help' || a === '-h') { console.log(usage()); return; }
    else if (a === '--db' || a.startsWith('--db=')) opts.db = value();
    else if (a === '--version' || a.startsWith('--version=')) opts.version = value();
    else if (a === '--force' || a === '-f') opts.force = true;
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}\n${usage()}`);
    else if (!dir) dir = a;
    else throw new Error(`unexpected argument ${a}\n${usage()}`);
  }
  if (!dir) throw new Error(usage());
  const r = createClusterFolder({ dir, ...opts });
  console.log(`cluster folder ${r.dir} (${r.db}, WA_API_VERSION=${r.version}, compose project ${r.project}): ${r.files.join(', ')}`);
  console.log(`next: cd ${r.dir} && docker-compose up -d db waweb master1 master2 wacore1 wacore2`);
}

const invokedDirectly = (() => {
  try { return !!process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href; } catch { return false; }
})();
if (invokedDirectly) {
  try { main(process.argv.slice(2)); } catch (e) { console.error(e instanceof Error ? e.message : e); process.exit(1); }
}
