// The operate features (#9) wired to the real ports: the logged-in session, the Docker engine the
// extension watches (containers' networks and logs) and SecretStorage. One instance per window,
// shared by the panel and the commands.
import type { SecretStorage } from 'vscode';
import type { ClusterMonitor } from '../cluster/clusterMonitor';
import type { ContainerNode } from '../docker/containerNode';
import type { LogMention } from '../messages/messageRoute';
import { TestMessageSender } from '../messages/testMessage';
import type { ClusterSession } from '../session/clusterSession';
import { sessionApi, type AdminApi } from '../settings/settingsApi';
import { SettingsEditor } from '../settings/settingsEditor';
import { startCallbackReceiver } from '../webhooks/callbackReceiver';
import { chooseClusterNetwork, type AttachedNetwork, type ClusterNetwork } from '../webhooks/clusterNetwork';
import { WebhookInspector, type InspectorRecord } from '../webhooks/webhookInspector';
import type { EngineSwitch } from '../docker/engineSwitch';
import type { WindowLocks } from '../workspace/windowLock';
import { t } from '../l10n';
import { notConnected } from '../notReady';

export interface OperateDeps {
  session: ClusterSession;
  engine: EngineSwitch;
  monitor: ClusterMonitor;
  /** The cluster folder's path (keys what the inspector remembers). */
  folder(): string | undefined;
  secrets: SecretStorage;
  /** One inspector per cluster folder across this machine's VS Code windows. */
  locks: WindowLocks;
}

export interface OperateServices {
  settings: SettingsEditor;
  messages: TestMessageSender;
  inspector: WebhookInspector;
  dispose(): void;
}

type NetworkSettings = Record<string, { IPAddress?: string; IPPrefixLen?: number; Gateway?: string }>;

export function createOperateServices(deps: OperateDeps): OperateServices {
  const api = (): AdminApi => {
    const session = deps.session.current;
    if (!session) throw new Error(notConnected());
    return sessionApi(session);
  };
  const running = async (): Promise<ContainerNode[]> => {
    const snapshot = deps.monitor.snapshot.kind === 'ready' ? deps.monitor.snapshot : await deps.monitor.refresh();
    return snapshot.kind === 'ready' ? snapshot.nodes.filter((n) => n.state === 'running') : [];
  };
  const docker = () => deps.engine.current;

  const logMentions = async (text: string, since: Date): Promise<LogMention[]> => {
    const nodes = (await running()).filter((n) => n.service !== 'db');
    const hits = await Promise.all(nodes.map(async (n) => ((await docker().logsSince(n.id, since.getTime() / 1000)).some((line) => line.includes(text)) ? n : undefined)));
    return hits.filter((n): n is ContainerNode => n !== undefined).map((n) => ({ containerId: n.id, service: n.service }));
  };

  const network = async (): Promise<ClusterNetwork> => {
    if (!deps.engine.local) {
      throw new Error(t('The Docker engine is not on this machine ({0}): the cluster\'s containers cannot reach a receiver in VS Code, so the inspector cannot run there.', deps.engine.endpointDescription));
    }
    const nodes = await running();
    const inspected = await Promise.all(nodes.map((n) => docker().inspect(n.id)));
    return chooseClusterNetwork(inspected.map((info, i) => ({
      service: nodes[i].service,
      networks: Object.entries(((info.NetworkSettings as { Networks?: NetworkSettings } | undefined)?.Networks) ?? {})
        .map(([name, n]): AttachedNetwork => ({ name, ip: n.IPAddress ?? '', prefixLength: n.IPPrefixLen ?? 0, gateway: n.Gateway ?? '' })),
    })));
  };

  // The URL the inspector replaced may hold credentials: SecretStorage, per cluster folder.
  const recordKey = () => `wabaCluster.webhookInspector/${deps.folder() ?? ''}`;
  const lockOf = () => [deps.folder() ?? '', 'webhookInspector', t('The webhook inspector')] as const;
  const inspector = new WebhookInspector({
    api, network, listen: startCallbackReceiver,
    lock: { claim: () => deps.locks.acquire(...lockOf()), heldElsewhere: () => deps.locks.heldElsewhere(...lockOf()) },
    memory: {
      get: async () => {
        const raw = await deps.secrets.get(recordKey());
        return raw ? (JSON.parse(raw) as InspectorRecord) : undefined;
      },
      set: async (record) => {
        if (record) await deps.secrets.store(recordKey(), JSON.stringify(record));
        else await deps.secrets.delete(recordKey());
      },
    },
  });
  void inspector.load();

  return {
    settings: new SettingsEditor(api),
    messages: new TestMessageSender({ api, logMentions }),
    inspector,
    dispose: () => inspector.dispose(),
  };
}
