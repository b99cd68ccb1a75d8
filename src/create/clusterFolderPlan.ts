// What a new cluster folder holds, as text: Meta's files verbatim, the overrides a choice needs, a .env.
// No file system and no vscode: the templates come through a reader, so the extension (its bundled
// copies) and emulator/scripts/cluster-folder.mjs (the repository's) share this one plan.
import { loadYaml } from '../compose/loadYaml';
import { MAX_COREAPPS, SHARD_COUNTS } from '../contract';
import { ProjectNameError, composeProjectName } from '../compose/projectName';
import { parseVersion } from '../compose/upgradePlan';
import { t } from '../l10n';

export type ClusterDatabase = 'mysql' | 'postgres';
/** Meta's images (docker.whatsapp.biz/…) or the emulator's local stand-ins. */
export type ClusterImages = 'meta' | 'emulator';

/** Meta's multiconnect-compose.yml defines wacore1–3: 2 shards + 1 standby, Meta's shards + 1. */
export const META_COREAPPS = 3;
export const DEFAULT_EMULATOR_NAMESPACE = 'waba-emulator';

export interface ClusterFolderChoices {
  /** The folder's name: docker-compose derives the project (and network) name from it. */
  folderName: string;
  db: ClusterDatabase;
  /** WA_API_VERSION, 2.N.M (a leading v is dropped). */
  version: string;
  /** Coreapp containers, META_COREAPPS to MAX_COREAPPS. Default META_COREAPPS. */
  coreapps?: number;
  /** Default 'emulator'. */
  images?: ClusterImages;
  /** Prefix of the emulator images (WABA_EMULATOR_IMAGES); only written when it is not the default. */
  emulatorNamespace?: string;
}

/**
 * Reads a template by its path in the templates folder (laid out like emulator/compose):
 * `meta/<db>/multiconnect-compose.yml`, `meta/<db>/db.env`, `meta/mysql/dbupgrade-compose.yml`
 * (Meta's, verbatim), `emulator.<db>.yml`, `emulator.dbupgrade.yml` (the emulator's overrides).
 */
export type TemplateReader = (path: string) => string;

export interface PlannedFile { name: string; text: string }

export interface ClusterFolderPlan {
  files: PlannedFile[];
  version: string;
  /** The compose project name docker-compose derives from the folder name. */
  project: string;
  /** `<project>_default`: the cluster's network, which the DB upgrade job joins. */
  network: string;
  /** COMPOSE_FILE of the .env, in order. */
  composeFiles: string[];
}

export const FOLDER_FILES = {
  compose: 'multiconnect-compose.yml',
  dbEnv: 'db.env',
  dbUpgrade: 'dbupgrade-compose.yml',
  emulator: 'docker-compose.emulator.yml',
  dbUpgradeEmulator: 'docker-compose.dbupgrade.emulator.yml',
  dbUpgradeNetwork: 'docker-compose.dbupgrade.network.yml',
  coreapps: 'docker-compose.coreapps.yml',
  dotenv: '.env',
} as const;

/** Every file a plan may write: what a rewrite over an older folder may have to remove. */
export const ALL_FOLDER_FILES: readonly string[] = Object.values(FOLDER_FILES);

/** Thrown for a choice that cannot make a working folder; the message says what to pick instead. */
export class ClusterChoiceError extends Error {}

export function versionChoiceProblem(version: string): string | undefined {
  return parseVersion(version) ? undefined : t('WA_API_VERSION must look like 2.N.M (e.g. 2.53.1), got "{0}".', version);
}

export function coreappsChoiceProblem(coreapps: number): string | undefined {
  if (Number.isInteger(coreapps) && coreapps >= META_COREAPPS && coreapps <= MAX_COREAPPS) return undefined;
  return t("Choose {0} to {1} coreapps: Meta's compose file defines wacore1–wacore{0}, and 32 shards + 1 standby is Meta's maximum.", META_COREAPPS, MAX_COREAPPS);
}

/** The most shards `coreapps` coreapps serve with one left as a standby (Meta: shards + 1). */
export function shardsWithStandby(coreapps: number): number {
  return [...SHARD_COUNTS].reverse().find((s) => s <= coreapps - 1) ?? 1;
}

export function folderNameProblem(folderName: string): string | undefined {
  if (!folderName.trim() || /[/\\]/.test(folderName)) return t("Type a folder name (no slashes), like biz in Meta's guide.");
  try {
    folderProject(folderName);
  } catch (error) {
    if (error instanceof ProjectNameError) return t('"{0}" gives an empty compose project name (only a-z, 0-9, _ and - count): pick another name.', folderName);
    throw error;
  }
  return undefined;
}

/**
 * The compose project of a new folder. Compose v1 and v2 derive different names from some folder
 * names (v2 strips a leading _ or -): then the name is pinned in .env, so the network the DB upgrade
 * job joins is the same whichever compose the user runs.
 */
export function folderProject(folderName: string): { project: string; pinned: boolean } {
  const v2 = composeProjectName('v2', { folderBasename: folderName, variables: {} });
  return { project: v2, pinned: composeProjectName('v1', { folderBasename: folderName, variables: {} }) !== v2 };
}

export function planClusterFolder(choices: ClusterFolderChoices, read: TemplateReader): ClusterFolderPlan {
  const { db, coreapps = META_COREAPPS, images = 'emulator' } = choices;
  if (db !== 'mysql' && db !== 'postgres') throw new ClusterChoiceError(t('The database must be mysql or postgres, got "{0}".', String(db)));
  const problem = folderNameProblem(choices.folderName) ?? versionChoiceProblem(choices.version) ?? coreappsChoiceProblem(coreapps);
  if (problem) throw new ClusterChoiceError(problem);
  const version = choices.version.trim().replace(/^v/, '');
  const { project, pinned } = folderProject(choices.folderName);
  const network = `${project}_default`;
  const emulator = images === 'emulator';
  const mysql = db === 'mysql';

  const compose = read(`meta/${db}/multiconnect-compose.yml`);
  const emulatorOverride = emulator ? read(`emulator.${db}.yml`) : undefined;
  const files: PlannedFile[] = [
    { name: FOLDER_FILES.compose, text: compose },
    { name: FOLDER_FILES.dbEnv, text: read(`meta/${db}/db.env`) },
  ];
  const composeFiles: string[] = [FOLDER_FILES.compose];
  if (emulatorOverride) {
    files.push({ name: FOLDER_FILES.emulator, text: emulatorOverride });
    composeFiles.push(FOLDER_FILES.emulator);
  }
  if (coreapps > META_COREAPPS) {
    files.push({ name: FOLDER_FILES.coreapps, text: extraCoreappsOverride(compose, coreapps, emulatorOverride) });
    composeFiles.push(FOLDER_FILES.coreapps);
  }
  // Meta ships the DB upgrade job for MySQL only. Its network_mode: bridge has no DNS for `db`,
  // so an override puts the job on the cluster's network (and, for the emulator, its image).
  const jobFiles: string[] = [];
  if (mysql) {
    files.push({ name: FOLDER_FILES.dbUpgrade, text: read('meta/mysql/dbupgrade-compose.yml') });
    const jobOverride = emulator
      ? { name: FOLDER_FILES.dbUpgradeEmulator, text: read('emulator.dbupgrade.yml') }
      : { name: FOLDER_FILES.dbUpgradeNetwork, text: DB_UPGRADE_NETWORK_OVERRIDE };
    files.push(jobOverride);
    jobFiles.push(FOLDER_FILES.dbUpgrade, jobOverride.name);
  }

  const namespace = choices.emulatorNamespace;
  const env = [
    '# Read by docker-compose (v1 and v2) from the folder it runs in; variables of the shell win over these.',
    `# Image tag of the WhatsApp Business API images (${emulator ? 'emulated: <namespace>/{web,coreapp}' : 'docker.whatsapp.biz/{web,coreapp}'}:v<version>).`,
    `WA_API_VERSION=${version}`,
    '# Meta\'s compose file, then the overrides, in order. An explicit -f replaces this list.',
    `COMPOSE_FILE=${composeFiles.join(':')}`,
    'COMPOSE_PATH_SEPARATOR=:',
  ];
  if (pinned) env.push('# Compose v1 and v2 derive different project names from this folder\'s name; both use this one.', `COMPOSE_PROJECT_NAME=${project}`);
  if (mysql) {
    env.push(
      `# Network the DB upgrade job joins (${jobFiles[1]}): <project>_default.`,
      `WA_CLUSTER_NETWORK=${network}`,
      '# The DB upgrade job\'s compose files, for the VS Code extension\'s "Upgrade Cluster" (like COMPOSE_FILE).',
      `WABA_DBUPGRADE_COMPOSE_FILE=${jobFiles.join(':')}`,
    );
  }
  if (emulator && namespace && namespace !== DEFAULT_EMULATOR_NAMESPACE) {
    env.push('# Prefix of the emulator images (emulator/README.md, WABA_EMULATOR_IMAGES).', `WABA_EMULATOR_IMAGES=${namespace}`);
  }
  files.push({ name: FOLDER_FILES.dotenv, text: env.join('\n') + '\n' });
  return { files, version, project, network, composeFiles };
}

const DB_UPGRADE_NETWORK_OVERRIDE = `# Override for Meta's dbupgrade-compose.yml: its network_mode: bridge is Docker's default bridge,
# where the name db (WA_DB_HOSTNAME in db.env) does not resolve. The job joins the cluster's
# network instead, <project>_default (WA_CLUSTER_NETWORK in .env).
#   docker-compose -f dbupgrade-compose.yml -f ${FOLDER_FILES.dbUpgradeNetwork} up -d
version: '3'

services:
  dbupgrade:
    network_mode: \${WA_CLUSTER_NETWORK:?Set WA_CLUSTER_NETWORK to the cluster's compose network, <project>_default (ex. WA_CLUSTER_NETWORK=biz_default)}
`;

type ComposeService = Record<string, unknown> & { image?: string; environment?: Record<string, unknown> };

/**
 * Coreapps wacore4…wacoreN, each defined like Meta's wacore3 but for its COREAPP_HOSTNAME, with the
 * image the earlier files give wacore3 (the emulator override's, when there is one).
 */
export function extraCoreappsOverride(metaCompose: string, coreapps: number, emulatorOverride?: string): string {
  const { parse, stringify } = loadYaml();
  const template = (parse(metaCompose) as { services?: Record<string, ComposeService> }).services?.[`wacore${META_COREAPPS}`];
  if (!template?.environment) throw new Error(t("Meta's compose file has no wacore{0} to model the extra coreapps on.", META_COREAPPS));
  const image = emulatorOverride
    ? (parse(emulatorOverride) as { services?: Record<string, ComposeService> }).services?.[`wacore${META_COREAPPS}`]?.image ?? template.image
    : template.image;
  const services: Record<string, ComposeService> = {};
  for (let n = META_COREAPPS + 1; n <= coreapps; n++) {
    services[`wacore${n}`] = { ...template, image, environment: { ...template.environment, COREAPP_HOSTNAME: `wacore${n}` } };
  }
  const header = [
    `# ${coreapps === META_COREAPPS + 1 ? 'Coreapp' : 'Coreapps'} ${Object.keys(services).join(', ')}, beyond Meta's wacore1–wacore${META_COREAPPS}: each is defined like wacore${META_COREAPPS}`,
    `# of ${FOLDER_FILES.compose} but for its COREAPP_HOSTNAME. ${coreapps} coreapps serve ${shardsWithStandby(coreapps)} shards + at least 1 standby.`,
  ];
  return `${header.join('\n')}\n${stringify({ version: '3', services }, { lineWidth: 0, aliasDuplicateObjects: false, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' })}`;
}
