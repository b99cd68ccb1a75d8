import { createServer } from 'node:net';
import type { ClusterCompose } from './clusterCompose';
import type { ClusterFolder } from './clusterFolder';
import { API_VERSION_VARIABLE, publishedHostPorts, versionedImage, versionedServices } from './composeFiles';
import { compareVersions } from './upgradePlan';
import { ComposeFileLocation, locateComposeError } from './composeErrors';
import { t } from '../l10n';

/** What the checks need from the engine (DockerClient implements it). */
export interface PreflightEngine {
  /** Running containers of any project that publish the host port. */
  containersPublishing(port: number): Promise<Array<{ id: string; name: string; project?: string }>>;
  /** Tags of the local images of a repository. */
  imageTags(repository: string): Promise<string[]>;
  /** Whether the engine runs on this machine (then a port held by a process is found by binding it). */
  readonly local: boolean;
}

export type PreflightProblem =
  | { kind: 'apiVersionMissing'; message: string; versions: string[] }
  | { kind: 'composeFileInvalid'; message: string; lines: string[]; location?: ComposeFileLocation }
  | { kind: 'portsTaken'; message: string; containers: Array<{ id: string; name: string; project?: string; port: number }>; processPorts: number[] };

/**
 * Checks what would make `up` fail and can be fixed before compose runs, in the order a user fixes
 * them: WA_API_VERSION unset, the published ports held by another project's container or by another
 * program. Undefined: go ahead. Invalid compose files are left to `up` itself (see composeFilesProblem).
 */
export async function preflightUp(compose: ClusterCompose, engine: PreflightEngine): Promise<PreflightProblem | undefined> {
  const { folder } = await compose.prepare();
  return (await checkApiVersion(folder, engine)) ?? checkPorts(folder, engine);
}

/**
 * Whether compose refuses the folder's files, in compose's own words and with the file and line
 * when it names them. Asked after `up` failed, not before every start: `config` is one more compose
 * process (a second with Compose v1), which every Start Service would pay for.
 */
export async function composeFilesProblem(compose: ClusterCompose): Promise<Extract<PreflightProblem, { kind: 'composeFileInvalid' }> | undefined> {
  const { folder } = await compose.prepare();
  const lines: string[] = [];
  const config = await compose.run({ verb: 'config' }, (line) => lines.push(line));
  if (config.exitCode === 0) return undefined;
  const shown = lines.filter((l) => l.trim() !== '' && !/version.*obsolete|Compose file format versions/i.test(l));
  return {
    kind: 'composeFileInvalid', lines: shown, location: locateComposeError(shown, folder.path, folder.composeFiles),
    message: t('The compose files of {0} are not valid ({1} config): {2}', folder.path, config.call.command.label, shown.join(' ') || `exit ${config.exitCode}`),
  };
}

async function checkApiVersion(folder: ClusterFolder, engine: PreflightEngine): Promise<PreflightProblem | undefined> {
  const services = versionedServices(folder.compose);
  if (folder.apiVersion || services.length === 0) return undefined;
  const patterns = services.map((s) => versionedImage(s.image!, folder.variables)).filter((p) => p !== undefined);
  // Versions for which every versioned image is here (web and coreapp), newest first.
  let versions: string[] | undefined;
  for (const pattern of new Map(patterns.map((p) => [p.repository, p])).values()) {
    const tags = await engine.imageTags(pattern.repository).catch(() => []);
    const found = tags.map((t) => pattern.tag.exec(t)?.[1]).filter((v): v is string => v !== undefined);
    versions = versions ? versions.filter((v) => found.includes(v)) : found;
  }
  const sorted = [...new Set(versions ?? [])].sort((a, b) => compareVersions(b, a));
  return {
    kind: 'apiVersionMissing', versions: sorted,
    message: sorted.length
      ? t('{0} is not set: the images of {1} need it. Set it in {2} (local images exist for {3}).', API_VERSION_VARIABLE, services.map((s) => s.name).join(', '), `${folder.path}/.env`, sorted.join(', '))
      : t('{0} is not set: the images of {1} need it. Set it in {2} (no local images of these services were found: pull or build them first).', API_VERSION_VARIABLE, services.map((s) => s.name).join(', '), `${folder.path}/.env`),
  };
}

async function checkPorts(folder: ClusterFolder, engine: PreflightEngine): Promise<PreflightProblem | undefined> {
  const ports = [...new Set(publishedHostPorts(folder.compose, folder.variables).map((p) => p.port))];
  const containers: Array<{ id: string; name: string; project?: string; port: number }> = [];
  const processPorts: number[] = [];
  const holdersOf = await Promise.all(ports.map((port) => engine.containersPublishing(port)));
  for (const [i, port] of ports.entries()) {
    const holders = holdersOf[i];
    if (holders.some((h) => h.project === folder.project)) continue; // our own cluster: `up` keeps it
    if (holders.length) containers.push(...holders.map((h) => ({ ...h, port })));
    else if (engine.local && !(await portFree(port))) processPorts.push(port);
  }
  if (!containers.length && !processPorts.length) return undefined;
  const parts = [
    ...[...new Set(containers.map((c) => c.project ?? ''))].map((project) => {
      const held = containers.filter((c) => (c.project ?? '') === project);
      const names = held.map((c) => c.name).join(', '), ports = held.map((c) => c.port).join(', ');
      return project ? t('compose project "{0}" (container {1}) publishes {2}', project, names, ports) : t('container {0} publishes {1}', names, ports);
    }),
    ...(processPorts.length ? [t('another program on this machine listens on {0} (see: ss -ltnp)', processPorts.join(', '))] : []),
  ];
  return { kind: 'portsTaken', containers, processPorts, message: t('The cluster cannot start: {0}. Only one cluster can publish these ports at a time.', parts.join('; ')) };
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}
