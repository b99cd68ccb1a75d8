// WA_API_VERSIONs whose images are already on the engine, so Create Cluster can offer them first.
import { compareVersions, parseVersion } from '../compose/upgradePlan';
import { ClusterImages, DEFAULT_EMULATOR_NAMESPACE } from './clusterFolderPlan';

/** The repositories of the webapp and coreapp images (tags are v<WA_API_VERSION>). */
export function imageRepositories(images: ClusterImages, emulatorNamespace = DEFAULT_EMULATOR_NAMESPACE): { web: string; coreapp: string } {
  const prefix = images === 'meta' ? 'docker.whatsapp.biz' : emulatorNamespace;
  return { web: `${prefix}/web`, coreapp: `${prefix}/coreapp` };
}

/** Versions for which both the web and the coreapp image are present, newest first. */
export function versionsOfLocalImages(references: readonly string[], repositories: { web: string; coreapp: string }): string[] {
  const tags = (repository: string) => new Set(references
    .filter((r) => r.startsWith(`${repository}:v`))
    .map((r) => r.slice(repository.length + 2))
    .filter((v) => parseVersion(v)));
  const web = tags(repositories.web);
  return [...tags(repositories.coreapp)].filter((v) => web.has(v)).sort((a, b) => compareVersions(b, a));
}
