// The real parts in the shapes the middle layer asks for: the engine of the setting, the version
// drift source, the upgrade's compose and container ports.
import type { Memento } from 'vscode';
import type { ClusterMonitor } from '../cluster/clusterMonitor';
import type { UpgradeDeps } from '../commands/upgradeCommands';
import type { ClusterCompose } from '../compose/clusterCompose';
import { DockerClient } from '../docker/dockerClient';
import { engineInputsHere, resolveEngine } from '../docker/dockerEndpoint';
import type { EngineSwitch } from '../docker/engineSwitch';
import type { DriftSource } from '../views/statusBar';
import { versionDrift } from '../workspace/versionDrift';
import type { WorkspaceModel } from '../workspace/workspaceModel';

/** The Docker context picked for this workspace, else the setting, else as the docker CLI resolves it (DOCKER_HOST, context, sockets). */
export function openEngine(dockerHostSetting: string, workspaceContext?: string): DockerClient {
  const { endpoint, why, context } = resolveEngine(engineInputsHere(dockerHostSetting || undefined, process.env, workspaceContext));
  return new DockerClient(endpoint, { why, context });
}

/** The WA_API_VERSION of the folder against what the running nodes run. */
export function driftSource(workspace: WorkspaceModel, monitor: ClusterMonitor): DriftSource {
  return {
    current: () => (monitor.snapshot.kind === 'ready' ? versionDrift(workspace.folder, monitor.snapshot.nodes) : undefined),
    onDidChange: (listener) => workspace.onDidChange(listener),
  };
}

/** Compose in the cluster folder (the tree is read again after each action) and the project's containers. */
export function upgradePorts({ workspace, compose, engine, monitor, state }: { workspace: WorkspaceModel; compose: ClusterCompose; engine: EngineSwitch; monitor: ClusterMonitor; state: Memento }): Pick<UpgradeDeps, 'compose' | 'containers' | 'engine' | 'resumePoint'> {
  return {
    compose: async (action, { files, env, onLine }) => {
      const result = await compose.run(action, onLine, { files, env });
      await monitor.refresh();
      return result;
    },
    containers: {
      list: async () => (workspace.folder ? engine.listProjectContainers(workspace.folder.project) : []),
      waitForExit: (id, options) => engine.waitForExit(id, options),
      remove: (id) => engine.removeContainer(id),
    },
    engine: { answering: () => engine.current.ping().then(() => true, () => false), onLost: (listener) => engine.events.subscribe({ lost: listener }) },
    // Where an upgrade of the folder stopped, kept in the workspace's state until it finishes.
    resumePoint: (folder) => ({
      get: () => state.get(`wabaCluster.upgradeResume/${folder}`),
      set: (point) => void state.update(`wabaCluster.upgradeResume/${folder}`, point),
    }),
  };
}
