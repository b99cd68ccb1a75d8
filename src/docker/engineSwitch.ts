import type { ContainerNode } from './containerNode';
import type { DockerClient } from './dockerClient';
import { isLocalEndpoint } from './dockerEndpoint';
import type { EngineEventListener } from './eventHub';

/**
 * The engine the extension watches, switchable while running (the setting wabaCluster.dockerHost
 * or the docker context changed): the monitor and the log tails hold this object, and their event
 * subscriptions move to the new engine's stream (with `resumed`, so they read again).
 */
export class EngineSwitch {
  private readonly subscriptions = new Map<EngineEventListener, { dispose(): void }>();

  constructor(private client: DockerClient) {}

  get current(): DockerClient { return this.client; }
  get endpointDescription(): string { return this.client.endpointDescription; }
  get endpointWhy(): string | undefined { return this.client.endpointWhy; }

  readonly events = {
    subscribe: (listener: EngineEventListener): { dispose(): void } => {
      this.subscriptions.set(listener, this.client.events.subscribe(listener));
      return { dispose: () => { this.subscriptions.get(listener)?.dispose(); this.subscriptions.delete(listener); } };
    },
  };

  private readonly switched = new Set<(client: DockerClient) => void>();

  /** After the engine changed (the status bar names the new one). */
  onDidSwitch(listener: (client: DockerClient) => void): { dispose(): void } {
    this.switched.add(listener);
    return { dispose: () => this.switched.delete(listener) };
  }

  /** Watches another engine from now on; the old client is closed. */
  switchTo(client: DockerClient): void {
    const old = this.client;
    this.client = client;
    for (const listener of this.switched) listener(client);
    for (const [listener, subscription] of this.subscriptions) {
      subscription.dispose();
      this.subscriptions.set(listener, client.events.subscribe(listener));
      listener.resumed?.();
    }
    old.dispose();
  }

  listProjectContainers(project: string): Promise<ContainerNode[]> { return this.client.listProjectContainers(project); }
  hasTty(id: string): Promise<boolean> { return this.client.hasTty(id); }
  followLogs(...args: Parameters<DockerClient['followLogs']>): ReturnType<DockerClient['followLogs']> { return this.client.followLogs(...args); }
  waitForExit(...args: Parameters<DockerClient['waitForExit']>): ReturnType<DockerClient['waitForExit']> { return this.client.waitForExit(...args); }
  removeContainer(id: string): Promise<void> { return this.client.removeContainer(id); }
  stopContainer(id: string): Promise<void> { return this.client.stopContainer(id); }
  containersPublishing(port: number): ReturnType<DockerClient['containersPublishing']> { return this.client.containersPublishing(port); }
  imageTags(repository: string): Promise<string[]> { return this.client.imageTags(repository); }

  /** Whether the engine runs on this machine (a unix socket, or tcp on loopback). */
  get local(): boolean { return isLocalEndpoint(this.client.endpoint); }

  dispose(): void {
    for (const s of this.subscriptions.values()) s.dispose();
    this.subscriptions.clear();
    this.client.dispose();
  }
}
