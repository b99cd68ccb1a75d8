import type { ContainerNode } from '../docker/containerNode';
import type { ClusterFolder } from '../compose/clusterFolder';
import { versionOfImage, versionedImage, versionedServices } from '../compose/composeFiles';
import { compareVersions } from '../compose/upgradePlan';
import { t } from '../l10n';

/** The running containers' WA_API_VERSION differs from what the folder says (.env or the environment). */
export interface VersionDrift { running: string[]; wanted: string; message: string }

/**
 * Compares the image versions of the versioned services' containers (waweb, masters, coreapps) with
 * WA_API_VERSION as compose would read it now: "running v2.51.2, .env says v2.53.1 — Start to upgrade".
 */
export function versionDrift(folder: ClusterFolder | undefined, nodes: readonly ContainerNode[]): VersionDrift | undefined {
  const wanted = folder?.apiVersion;
  if (!folder || !wanted) return undefined;
  const running = new Set<string>();
  for (const service of versionedServices(folder.compose)) {
    const pattern = versionedImage(service.image!, folder.variables);
    if (!pattern) continue;
    for (const node of nodes.filter((n) => n.service === service.name)) {
      const version = versionOfImage(node.image, pattern);
      if (version) running.add(version);
    }
  }
  const versions = [...running].sort(compareVersions);
  if (versions.length === 0 || (versions.length === 1 && versions[0] === wanted)) return undefined;
  const shown = versions.map((v) => `v${v}`).join(t(' and '));
  const fromEnvironment = folder.apiVersionFrom === 'environment';
  const direction = versions.every((v) => compareVersions(v, wanted) < 0) ? 'upgrade' : versions.every((v) => compareVersions(v, wanted) > 0) ? 'downgrade' : 'align';
  const message = {
    upgrade: () => (fromEnvironment ? t("running {0}, VS Code's environment says v{1} — Start to upgrade", shown, wanted) : t('running {0}, .env says v{1} — Start to upgrade', shown, wanted)),
    downgrade: () => (fromEnvironment ? t("running {0}, VS Code's environment says v{1} — Start to downgrade", shown, wanted) : t('running {0}, .env says v{1} — Start to downgrade', shown, wanted)),
    align: () => (fromEnvironment ? t("running {0}, VS Code's environment says v{1} — Start to bring every node to it", shown, wanted) : t('running {0}, .env says v{1} — Start to bring every node to it', shown, wanted)),
  }[direction]();
  return { running: versions, wanted, message };
}
