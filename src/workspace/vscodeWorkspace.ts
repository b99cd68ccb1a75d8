import * as vscode from 'vscode';
import { execProbe } from '../compose/composeCli';
import type { WabaSettings, WorkspacePorts } from './workspaceModel';

/** VS Code as the workspace model's ports: folders, settings, trust and one file watcher. */
export function vscodeWorkspacePorts(): WorkspacePorts {
  return {
    folders: () => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
    settings: readSettings,
    isTrusted: () => vscode.workspace.isTrusted,
    env: process.env,
    probe: execProbe(process.env),
    watch(onChange) {
      // .env, db.env and compose files anywhere in the workspace folders (COMPOSE_FILE may point into a subfolder).
      const files = vscode.workspace.createFileSystemWatcher('**/{.env,*.env,*.yml,*.yaml}');
      return vscode.Disposable.from(
        files, files.onDidCreate(onChange), files.onDidChange(onChange), files.onDidDelete(onChange),
        vscode.workspace.onDidChangeWorkspaceFolders(onChange),
        vscode.workspace.onDidGrantWorkspaceTrust(onChange),
        vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('wabaCluster')) onChange(); }),
      );
    },
  };
}

function readSettings(): WabaSettings {
  const config = vscode.workspace.getConfiguration('wabaCluster');
  return {
    composeCommand: config.get<unknown>('composeCommand'),
    dockerHost: config.get<string>('dockerHost') ?? '',
    healthPollSeconds: Math.max(1, Number(config.get<number>('healthPollSeconds', 5)) || 5),
    logMaxLines: logMaxLines(config.get<unknown>('logs.maxLines')),
    failoverExpectationSeconds: Math.max(1, Number(config.get<number>('failoverExpectationSeconds', 35)) || 35),
  };
}

/** 0 keeps every line; anything else at least 1,000 (a hand-edited settings.json can say anything). */
function logMaxLines(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return LOG_MAX_LINES;
  const n = Math.floor(value);
  return n === 0 ? 0 : Math.max(1_000, n);
}

const LOG_MAX_LINES = 10_000;
