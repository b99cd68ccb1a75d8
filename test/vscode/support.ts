// Shared helpers for the extension-host suites (bundled into each *.test.js by esbuild).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PanelState } from '../../src/webview/protocol';
import type { ProbeEvent } from '../../src/testing/testHooks';

export const EXTENSION_ID = 'waba-cluster.waba-cluster';

export interface TreeItemSnapshot { id?: string; label: string; description?: string; contextValue?: string }

/** What activate() returns (the contract between the extension and its tests). */
export interface WabaClusterApi {
  activationMs: number;
  treeSnapshot(): Promise<TreeItemSnapshot[]>;
  health(): { kind: string; version?: string; nodes?: Array<{ key: string; role?: string; gatewayStatus?: string; error?: { code: number } }>; summary?: { level: string; text: string } };
  panelRequest(method: string, params: unknown): Promise<{ ok: boolean; result?: unknown; error?: string; fieldErrors?: Record<string, string> }>;
  /** What the cluster panel shows (src/webview/protocol.ts PanelState). */
  panelState(): PanelState;
  visible(): { nodesView: boolean; viewMessage?: string; statusBar: { text: string; tooltip: string; command?: string } | undefined; engineBar?: { text: string; tooltip: string } };
  /** The workspace as the extension reads it now (folder, project, compose CLI, trust). */
  workspace(): { folder?: string; project?: string; compose: string; trusted: boolean; apiVersion?: string };
  /** Follows what changes on screen (tree rows, renders, what a node's terminal shows). */
  probe(listener: (event: ProbeEvent & { at: number }) => void): { dispose(): void };
}

export async function activateExtension(): Promise<{ ext: vscode.Extension<WabaClusterApi>; api: WabaClusterApi }> {
  const ext = vscode.extensions.getExtension<WabaClusterApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this VS Code`);
  const api = await ext.activate();
  return { ext, api };
}

/** Compose v1 project name of the first workspace folder: its basename, lowercased, only [a-z0-9_-]. */
export function workspaceProjectName(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the test run has no workspace folder');
  return path.posix.basename(folder.uri.path).toLowerCase().replace(/[^a-z0-9_-]/g, '');
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs wabaCluster.refresh and reads the snapshot until `accept` holds; returns the last snapshot. */
export async function refreshUntil(
  api: WabaClusterApi, accept: (items: TreeItemSnapshot[]) => boolean, timeoutMs = 30_000,
): Promise<TreeItemSnapshot[]> {
  const deadline = Date.now() + timeoutMs;
  let items: TreeItemSnapshot[] = [];
  for (;;) {
    await vscode.commands.executeCommand('wabaCluster.refresh');
    items = await api.treeSnapshot();
    if (accept(items) || Date.now() > deadline) return items;
    await sleep(500);
  }
}

export const describeItems = (items: TreeItemSnapshot[]) =>
  JSON.stringify(items.map((i) => ({ label: i.label, description: i.description, contextValue: i.contextValue })));
