#!/usr/bin/env node
// Writes a cluster folder like the developer guide's ~/biz, wired to the emulator images:
//   multiconnect-compose.yml, db.env          Meta's files, verbatim (MySQL or PostgreSQL flavour)
//   dbupgrade-compose.yml                     Meta's DB upgrade job (MySQL only, as in Meta's repo)
//   docker-compose.emulator.yml               our override: swaps the image: lines only
//   docker-compose.dbupgrade.emulator.yml     (MySQL) image + network override for the upgrade job
//   docker-compose.coreapps.yml               only with more than 3 coreapps: wacore4…wacoreN
//   .env                                      WA_API_VERSION and COMPOSE_FILE, so that a plain
//                                             `docker-compose up -d ...` in the folder uses every file
// The folder is planned and written by the extension's own Create Cluster code (src/create), loaded
// through tsx, so the two never drift apart; this file adds the emulator's defaults and the CLI.
//   import { createClusterFolder } from './cluster-folder.mjs'
//   node emulator/scripts/cluster-folder.mjs <dir> [--db mysql|postgres] [--version 2.53.1] [--coreapps 3] [--images emulator|meta] [--force]
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const emulatorDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const composeDir = join(emulatorDir, 'compose');
const srcCreate = (name) => tsImport(pathToFileURL(join(emulatorDir, '..', 'src', name)).href, import.meta.url);
const { planClusterFolder, ClusterChoiceError, folderProject } = await srcCreate('create/clusterFolderPlan.ts');
const { writeClusterFolder, templatesIn } = await srcCreate('create/clusterFolderWriter.ts');

/** Versions we build images for by default (emulator/versions.txt), oldest first. */
export function knownVersions() {
  const file = join(emulatorDir, 'versions.txt');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
}

/** The compose project name of a cluster folder written here (the same under compose v1 and v2). */
export function composeProjectName(dir) {
  return folderProject(basename(resolve(dir))).project;
}

/**
 * @param {import('./cluster-folder.d.mts').ClusterFolderOptions} opts
 * @returns {import('./cluster-folder.d.mts').ClusterFolder}
 */
export function createClusterFolder({ dir, db = 'mysql', version, force = false, coreapps, images = 'emulator' }) {
  if (!dir) throw new Error('createClusterFolder: dir is required');
  const versions = knownVersions();
  const target = resolve(dir);
  let plan;
  try {
    plan = planClusterFolder({
      folderName: basename(target), db, version: String(version ?? versions[versions.length - 1] ?? ''), coreapps, images,
      emulatorNamespace: process.env.WABA_EMULATOR_IMAGES,
    }, templatesIn(composeDir));
  } catch (e) {
    if (e instanceof ClusterChoiceError) throw new Error(`createClusterFolder: ${e.message}`);
    throw e;
  }
  writeClusterFolder(target, plan.files, { force });
  return { dir: target, db, version: plan.version, project: plan.project, network: plan.network, files: plan.files.map((f) => f.name) };
}

function usage() {
  return 'usage: node emulator/scripts/cluster-folder.mjs <dir> [--db mysql|postgres] [--version 2.N.M] [--coreapps 3..33] [--images emulator|meta] [--force]';
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
    else if (a === '--coreapps' || a.startsWith('--coreapps=')) opts.coreapps = Number(value());
    else if (a === '--images' || a.startsWith('--images=')) opts.images = value();
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
