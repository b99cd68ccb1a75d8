// Its own bundle (dist/create.js), loaded when Create Cluster runs: the folder plan, its writer and
// the yaml package (~115 KB minified, twice the rest of the extension) stay off the activation path.
export { CreateClusterWorkflow } from './createClusterWorkflow';
export { templatesIn } from '../create/clusterFolderWriter';
export { imageRepositories, versionsOfLocalImages } from '../create/localImages';
// This bundle has its own copy of src/l10n.ts: the loader installs VS Code's translator into it.
export { useTranslator } from '../l10n';
