import type { ComposeFlavor } from './composeCli';
import { ComposeVariables, interpolate } from './interpolate';
import { t } from '../l10n';

export class ProjectNameError extends Error {}

export interface ProjectNameInputs {
  /** The project folder's name (the folder of the first compose file). */
  folderBasename: string;
  /** The shell's environment over the folder's .env (COMPOSE_PROJECT_NAME, variables of `name:`). */
  variables: ComposeVariables;
  /** The compose files' top-level `name:` as written (v2 only; v1 refuses the key). */
  topLevelName?: string;
}

/**
 * The project name compose derives when no `-p` is given, by the rules of the compose in use, so
 * that the extension (which always passes `-p`) and a terminal in the folder agree:
 *   v1 (docker-compose 1.29): COMPOSE_PROJECT_NAME, else the folder name; lower-cased, only [a-z0-9_-] kept.
 *   v2: COMPOSE_PROJECT_NAME (must already be valid), else the top-level `name:`, else the folder
 *       name; lower-cased, only [a-z0-9_-] kept, leading `_`/`-` stripped.
 * Throws ProjectNameError where compose itself would refuse.
 */
export function composeProjectName(flavor: ComposeFlavor, inputs: ProjectNameInputs): string {
  const explicit = inputs.variables.COMPOSE_PROJECT_NAME?.trim() || undefined;
  if (flavor === 'v1') return normalizeV1(explicit ?? inputs.folderBasename) || 'default';
  if (explicit !== undefined) {
    if (normalizeV2(explicit) !== explicit) throw new ProjectNameError(t('COMPOSE_PROJECT_NAME "{0}" is not a valid project name for Docker Compose v2: use only lower-case letters, digits, "-" and "_", starting with a letter or digit.', explicit));
    return explicit;
  }
  const fromFile = inputs.topLevelName !== undefined ? normalizeV2(interpolate(inputs.topLevelName, inputs.variables)) : '';
  const name = fromFile || normalizeV2(inputs.folderBasename);
  if (!name) throw new ProjectNameError(t("The folder name \"{0}\" gives an empty compose project name: set COMPOSE_PROJECT_NAME in the folder's .env.", inputs.folderBasename));
  return name;
}

function normalizeV1(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, '');
}

function normalizeV2(name: string): string {
  return normalizeV1(name).replace(/^[_-]+/, '');
}
