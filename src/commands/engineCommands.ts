import { readdirSync } from 'node:fs';
import * as vscode from 'vscode';
import type { DockerClient } from '../docker/dockerClient';
import { engineInputsHere, listDockerContexts } from '../docker/dockerEndpoint';
import { testAnswers } from '../testing/testHooks';
import { PICK_CONTEXT_COMMAND } from '../views/engineStatusBar';
import { registerCommand, type CommandLog } from './runCommand';

/** Where this workspace keeps the Docker context picked for it (workspaceState: never a setting, never `docker context use`). */
export const WORKSPACE_CONTEXT_KEY = 'wabaCluster.dockerContext';

export interface EngineCommandDeps {
  workspaceState: vscode.Memento;
  /** Workspace trust: an engine (an ssh:// one runs ssh) is picked only in a trusted folder. */
  trusted(): boolean;
  current(): DockerClient;
  /** Opens the engine the resolution gives now (after the pick changed) and watches it. */
  reopen(): void;
  log: CommandLog;
}

/** Pick Docker Context: the engine of this workspace, from the docker config's contexts. */
export function registerEngineCommands(deps: EngineCommandDeps): vscode.Disposable[] {
  return [
    registerCommand(deps.log, PICK_CONTEXT_COMMAND, vscode.l10n.t('Pick Docker Context'), async (given?: string) => {
      if (!deps.trusted()) throw new Error(vscode.l10n.t('Restricted Mode: trust this folder (Manage Workspace Trust) to pick its Docker engine.'));
      const scripted = testAnswers(given);
      const picked = scripted !== undefined ? { value: scripted || undefined } : await pickContext(deps.workspaceState.get<string>(WORKSPACE_CONTEXT_KEY));
      if (!picked) return undefined;
      await deps.workspaceState.update(WORKSPACE_CONTEXT_KEY, picked.value);
      deps.reopen();
      const client = deps.current();
      deps.log.info(`Docker engine of this workspace: ${client.endpointDescription} (${client.endpointWhy ?? ''})`);
      return client.endpointDescription;
    }),
  ];
}

async function pickContext(current: string | undefined): Promise<{ value: string | undefined } | undefined> {
  const contexts = listDockerContexts({
    ...engineInputsHere(undefined),
    readDir: (path) => { try { return readdirSync(path); } catch { return []; } },
  });
  const mark = (value: string | undefined) => (value === current ? '$(check) ' : '');
  const items: Array<vscode.QuickPickItem & { value: string | undefined }> = [
    { label: `${mark(undefined)}${vscode.l10n.t('Automatic')}`, description: vscode.l10n.t('as the docker CLI picks: wabaCluster.dockerHost, DOCKER_HOST, DOCKER_CONTEXT, the current context'), value: undefined },
    { label: `${mark('default')}default`, description: vscode.l10n.t("this machine's Docker socket"), value: 'default' }, // l10n-ignore: Docker's name
    ...contexts.map((c) => ({ label: `${mark(c.name)}${c.name}`, description: c.host, detail: c.description, value: c.name })),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Docker engine for this workspace'), placeHolder: vscode.l10n.t('Pick a Docker context (changes this workspace only, not `docker context use`)') });
  return picked && { value: picked.value };
}
