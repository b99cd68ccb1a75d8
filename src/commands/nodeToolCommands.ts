import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ClusterMonitor } from '../cluster/clusterMonitor';
import type { ContainerNode } from '../docker/containerNode';
import { parseDotenv } from '../compose/dotenv';
import { noClusterFolder } from '../notReady';
import type { DockerClient } from '../docker/dockerClient';
import { maskedInspectText } from '../docker/containerInspect';
import { planDbConsole } from '../compose/dbConsole';
import { NodeTerminal, NodeTerminalSpec, chooseShell } from '../docker/execTerminal';
import type { NodeRow } from '../views/nodeRows';
import { testProbe } from '../testing/testHooks';
import { registerCommand, type CommandLog } from './runCommand';

/** The scheme of the read-only inspect documents: waba-inspect:/<service>.json?<container id>. */
export const INSPECT_SCHEME = 'waba-inspect';

export interface NodeToolDeps {
  /** The engine the tree shows, now (a terminal stays on the engine it was opened on). */
  engine(): DockerClient;
  monitor: ClusterMonitor;
  folder(): { path: string } | undefined;
  /** Workspace trust: in Restricted Mode nothing runs in a node, whoever calls the command. */
  trusted(): boolean;
  log: CommandLog;
}

/** Open Shell, Database Console and Inspect on a node of the Cluster Nodes view (or one picked). */
export function registerNodeToolCommands(deps: NodeToolDeps): vscode.Disposable[] {
  const { log } = deps;
  const inspectChanged = new vscode.EventEmitter<vscode.Uri>();

  /** The running node of a tree row, or one picked; a clear error for a node that is not running. */
  const runningNode = async (row: NodeRow | undefined, title: string): Promise<ContainerNode | undefined> => {
    const node = await nodeOf(deps.monitor, row, title);
    if (node && node.state !== 'running') throw new Error(vscode.l10n.t('{0} is not running ({1}): start it first.', node.service, node.status));
    return node;
  };

  const requireTrust = (): void => {
    if (!deps.trusted()) throw new Error(vscode.l10n.t('Restricted Mode: trust this folder (Manage Workspace Trust) to open a terminal in a node; until then the extension runs no programs.'));
  };
  const openTerminal = (name: string, client: DockerClient, spec: NodeTerminalSpec): string => {
    const terminal = vscode.window.createTerminal({ name, pty: nodePseudoterminal(name, client, spec), iconPath: new vscode.ThemeIcon('terminal') });
    terminal.show();
    log.info(`${name}: ${spec.cmd.join(' ')} in ${spec.node} (${spec.containerId.slice(0, 12)}) on ${client.endpointDescription}`);
    return name;
  };

  return [
    inspectChanged,
    vscode.workspace.registerTextDocumentContentProvider(INSPECT_SCHEME, {
      onDidChange: inspectChanged.event,
      provideTextDocumentContent: async (uri) => maskedInspectText(await deps.engine().inspect(uri.query)),
    }),
    registerCommand(log, 'wabaCluster.openShell', vscode.l10n.t('Open Shell'), async (row?: NodeRow) => {
      requireTrust();
      const node = await runningNode(row, vscode.l10n.t('Open a shell in…'));
      if (!node) return undefined;
      const client = deps.engine();
      const shell = await chooseShell(async (cmd) => (await client.exec(node.id, cmd, { timeoutMs: 10_000 })).exitCode);
      if (!shell) throw new Error(vscode.l10n.t('{0} has no shell: its image has neither bash nor sh.', node.service));
      return openTerminal(`${node.service}: ${shell}`, client, { containerId: node.id, node: node.service, cmd: [shell] });
    }),
    registerCommand(log, 'wabaCluster.openDbConsole', vscode.l10n.t('Open Database Console'), async () => {
      requireTrust();
      const folder = deps.folder();
      if (!folder) throw new Error(noClusterFolder());
      const dbEnvFile = join(folder.path, 'db.env');
      let text: string;
      try {
        text = readFileSync(dbEnvFile, 'utf8');
      } catch (error) {
        throw new Error(vscode.l10n.t('Cannot read {0}: {1}', dbEnvFile, (error as Error).message));
      }
      const plan = planDbConsole(parseDotenv(text));
      if ('problem' in plan) throw new Error(plan.problem);
      const snapshot = await deps.monitor.refresh();
      const node = snapshot.kind === 'ready' ? snapshot.nodes.find((n) => n.service === plan.service) : undefined;
      if (!node) throw new Error(vscode.l10n.t('The database {0} (WA_DB_HOSTNAME in db.env) is not a node of this project: connect to it with its own client.', plan.service));
      if (node.state !== 'running') throw new Error(vscode.l10n.t('{0} is not running ({1}): start it first.', node.service, node.status));
      return openTerminal(plan.title, deps.engine(), { containerId: node.id, node: node.service, cmd: plan.cmd, env: plan.env });
    }),
    registerCommand(log, 'wabaCluster.inspectNode', vscode.l10n.t('Inspect'), async (row?: NodeRow) => {
      const node = await nodeOf(deps.monitor, row, vscode.l10n.t('Inspect which node?'));
      if (!node) return undefined;
      const uri = vscode.Uri.from({ scheme: INSPECT_SCHEME, path: `/${node.service}.json`, query: node.id });
      inspectChanged.fire(uri); // an inspect already open shows the container as it is now
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
      return uri.toString();
    }),
  ];
}

/** The node of a tree row (as the monitor knows it now), or one picked from the project's nodes. */
async function nodeOf(monitor: ClusterMonitor, row: NodeRow | undefined, title: string): Promise<ContainerNode | undefined> {
  const snapshot = await monitor.refresh();
  if (snapshot.kind !== 'ready') throw new Error(snapshot.kind === 'dockerUnreachable' ? snapshot.message : noClusterFolder());
  if (row) {
    const node = snapshot.nodes.find((n) => n.id === row.id);
    if (!node) throw new Error(vscode.l10n.t('{0} is no longer a node of this project.', row.label));
    return node;
  }
  const picked = await vscode.window.showQuickPick(snapshot.nodes.map((n) => ({ label: n.service, description: n.state, node: n })), { title });
  return picked?.node;
}

/** A VS Code terminal on a NodeTerminal; what it shows also goes to the test probe (Test mode only). */
function nodePseudoterminal(name: string, client: DockerClient, spec: NodeTerminalSpec): vscode.Pseudoterminal {
  const written = new vscode.EventEmitter<string>();
  const closed = new vscode.EventEmitter<number | void>();
  const session = new NodeTerminal(client, spec, {
    write: (text) => { written.fire(text); testProbe.emit({ kind: 'terminalOutput', terminal: name, text }); },
    close: (code) => { closed.fire(code); written.dispose(); closed.dispose(); },
  });
  return {
    onDidWrite: written.event,
    onDidClose: closed.event,
    open: (size) => void session.open(size && { cols: size.columns, rows: size.rows }),
    close: () => session.dispose(),
    handleInput: (data) => session.input(data),
    setDimensions: (size) => session.resize(size.columns, size.rows),
  };
}
