import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type * as Create from '../workflows/createClusterBundle';
import type { CreateClusterPrompter, CreateClusterWorkflow, OpenHow } from '../workflows/createClusterWorkflow';

/** `<publisher>.<name>#<walkthrough id>` of contributes.walkthroughs. */
export const WALKTHROUGH_ID = 'waba-cluster.waba-cluster#wabaCluster.guide';

interface CreateClusterCommandDeps {
  extensionUri: vscode.Uri;
  output: vscode.LogOutputChannel;
  /** The engine the extension and compose use: its local images are offered first. */
  engine: { imageTags(repository: string): Promise<string[]> };
}

const prompter: CreateClusterPrompter = {
  pickFolder: async ({ title, defaultPath }) => {
    const [uri] = (await vscode.window.showOpenDialog({
      title, canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: vscode.l10n.t('Create the Cluster Folder Here'),
      defaultUri: defaultPath ? vscode.Uri.file(defaultPath) : undefined,
    })) ?? [];
    if (uri && uri.scheme !== 'file') throw new Error(vscode.l10n.t("{0} is not a folder on this machine's disk: pick a local folder (compose runs there).", uri.toString()));
    return uri?.fsPath;
  },
  input: async ({ title, prompt, value, placeholder, validate }) => vscode.window.showInputBox({ title, prompt, value, placeHolder: placeholder, ignoreFocusOut: true, validateInput: validate }),
  pick: async ({ title, placeholder, items }) => (await vscode.window.showQuickPick(items, { title, placeHolder: placeholder, ignoreFocusOut: true, matchOnDescription: true }))?.value,
  confirm: async ({ message, detail, action }) => (await vscode.window.showInformationMessage(message, { modal: true, detail }, action)) === action,
};

async function openFolder(dir: string, how: OpenHow): Promise<void> {
  const uri = vscode.Uri.file(dir);
  if (how === 'open') {
    await vscode.commands.executeCommand('vscode.openFolder', uri, { forceReuseWindow: true });
    return;
  }
  const count = vscode.workspace.workspaceFolders?.length ?? 0;
  if (!vscode.workspace.updateWorkspaceFolders(count, 0, { uri })) throw new Error(vscode.l10n.t('VS Code did not add {0} to the workspace.', dir));
}

/** Create Cluster (a thin adapter of CreateClusterWorkflow) and the command that opens the guide's walkthrough. */
export function registerCreateClusterCommands({ extensionUri, output, engine }: CreateClusterCommandDeps): vscode.Disposable[] {
  let workflow: CreateClusterWorkflow | undefined;
  const createWorkflow = (): CreateClusterWorkflow => {
    const { CreateClusterWorkflow, templatesIn, imageRepositories, versionsOfLocalImages, useTranslator } = require('./create.js') as typeof Create;
    useTranslator(vscode.l10n.t);
    const emulatorNamespace = process.env.WABA_EMULATOR_IMAGES || undefined;
    return new CreateClusterWorkflow({
      prompter,
      // Meta's files and the emulator overrides ship in the VSIX at the repository's paths.
      templates: templatesIn(join(extensionUri.fsPath, 'emulator', 'compose')),
      localImageVersions: async (images) => {
        const repositories = imageRepositories(images, emulatorNamespace);
        // No engine (not running, not answering): nothing to offer, the user types a version.
        const references = await Promise.all(Object.values(repositories).map(async (r) => (await engine.imageTags(r).catch(() => [])).map((tag) => `${r}:${tag}`)));
        return versionsOfLocalImages(references.flat(), repositories);
      },
      emulatorNamespace,
      defaultParent: homedir(),
      hasWorkspaceFolder: () => (vscode.workspace.workspaceFolders?.length ?? 0) > 0,
      openFolder,
    });
  };
  return [
    // No arguments: every answer, and the confirmation before anything is written, comes from the user.
    vscode.commands.registerCommand('wabaCluster.createCluster', async () => {
      try {
        workflow ??= createWorkflow();
        const result = await workflow.run();
        if (!result.created) return undefined;
        output.info(`Created the cluster folder ${result.dir}: ${result.plan.files.map((f) => f.name).join(', ')}`);
        return result.dir;
      } catch (error) {
        output.error(`Create Cluster failed: ${(error as Error).message}`);
        void vscode.window.showErrorMessage((error as Error).message);
        return undefined;
      }
    }),
    vscode.commands.registerCommand('wabaCluster.openWalkthrough', () => vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false)),
  ];
}
