// The webhook inspector, without VS Code: one action points the cluster's webhooks.url at a receiver
// on the cluster network and records every callback; stopping restores the URL it replaced. The URL
// replaced is remembered (in SecretStorage: it may hold credentials) before the cluster is changed,
// so a window that closed or crashed while inspecting can still put it back.
import { maskUrl } from '../settings/settingsForm';
import { patchApplicationSettings, readApplicationSettings, type AdminApi } from '../settings/settingsApi';
import { explainRefusal } from '../settings/fieldValidationError';
import { CallbackLog, type CallbackLogView } from './callbackLog';
import type { CallbackReceiver, ReceiverOptions } from './callbackReceiver';
import { isClusterPeer, type ClusterNetwork } from './clusterNetwork';
import { t } from '../l10n';
import { Emitter } from '../emitter';

/** What must survive the window: the URL to put back, and the inspector's own URL it replaced it with. */
export interface InspectorRecord { previousUrl: string; url: string }

export interface InspectorPorts {
  /** The logged-in webapp; throws (saying to connect) when there is none. */
  api(): AdminApi;
  /** The cluster's network, from the running containers. */
  network(): Promise<ClusterNetwork>;
  listen(options: ReceiverOptions): Promise<CallbackReceiver>;
  memory: { get(): Promise<InspectorRecord | undefined>; set(record: InspectorRecord | undefined): Promise<void> };
  /**
   * One inspector per cluster folder across VS Code windows: `claim` takes it or throws saying which
   * window holds it; `heldElsewhere` is that error while another window holds it.
   */
  lock: { claim(): { release(): void }; heldElsewhere(): Error | undefined };
}

export interface InspectorView {
  state: 'off' | 'starting' | 'on' | 'stopping';
  /** The receiver's URL (on): not a secret, its path is only a guard against strays. */
  url?: string;
  network?: string;
  /** The webhooks.url that stopping puts back (masked). */
  previousUrl?: string;
  since?: string;
  /** Connections dropped because they did not come from the cluster network. */
  refused: number;
  /** An earlier window left the cluster pointing at its inspector: stopping restores this (masked). */
  leftover?: string;
  /** What the last start or stop did, or why it failed. */
  message?: string;
  log: CallbackLogView;
}

export class WebhookInspector {
  private receiver: CallbackReceiver | undefined;
  private record: InspectorRecord | undefined;
  private state: InspectorView['state'] = 'off';
  private network: ClusterNetwork | undefined;
  private since: Date | undefined;
  private refused = 0;
  private message: string | undefined;
  private leftover: InspectorRecord | undefined;
  private claim: { release(): void } | undefined;
  private readonly log = new CallbackLog();
  private readonly changes = new Emitter<void>();

  constructor(private readonly ports: InspectorPorts) {}

  onDidChange(listener: () => void): { dispose(): void } {
    return this.changes.subscribe(listener);
  }

  /** Reads what an earlier window may have left behind (shown until stopped). */
  async load(): Promise<void> {
    // The record of an inspector that runs in another window is that window's, not a leftover.
    const elsewhere = this.state === 'off' ? this.ports.lock.heldElsewhere() : undefined;
    if (elsewhere) this.message = elsewhere.message;
    else if (this.state === 'off') this.leftover = await this.ports.memory.get();
    this.changed();
  }

  view(): InspectorView {
    const previous = this.record?.previousUrl ?? this.leftover?.previousUrl;
    return {
      state: this.state, refused: this.refused, log: this.log.view(),
      ...(this.receiver ? { url: this.receiver.url } : {}),
      ...(this.network ? { network: `${this.network.name} (${this.network.cidr})` } : {}),
      ...(previous !== undefined && this.state !== 'off' ? { previousUrl: maskUrl(previous) || '(none)' } : {}),
      ...(this.since ? { since: this.since.toISOString() } : {}),
      ...(this.leftover && this.state === 'off' ? { leftover: maskUrl(this.leftover.previousUrl) || '(none)' } : {}),
      ...(this.message ? { message: this.message } : {}),
    };
  }

  async start(): Promise<InspectorView> {
    if (this.state !== 'off') return this.view();
    this.state = 'starting';
    this.message = undefined;
    this.changed();
    try {
      this.claim = this.ports.lock.claim();
      const api = this.ports.api();
      const network = await this.ports.network();
      const receiver = await this.ports.listen({
        host: network.gateway,
        allow: (address) => isClusterPeer(address, network),
        onCallback: (body, at) => { this.log.add(body, at); this.changed(); },
        onRefused: () => { this.refused++; this.changed(); },
      });
      try {
        const current = (await readApplicationSettings(api)).webhooks?.url ?? '';
        // While the cluster still points at an earlier window's inspector, that window's record holds the user's URL.
        const earlier = await this.ports.memory.get();
        const record = { previousUrl: earlier && current === earlier.url ? earlier.previousUrl : current, url: receiver.url };
        await this.ports.memory.set(record);
        try {
          await patchApplicationSettings(api, { webhooks: { url: receiver.url } });
        } catch (error) {
          await this.ports.memory.set(earlier);
          throw explainRefusal(error, ['webhooks.url']);
        }
        Object.assign(this, { receiver, record, network, since: new Date(), refused: 0, leftover: undefined, state: 'on' });
        this.log.clear();
        this.message = t('webhooks.url points at the inspector; it was {0}.', maskUrl(record.previousUrl) || t('(none)'));
      } catch (error) {
        await receiver.close();
        throw error;
      }
    } catch (error) {
      this.state = 'off';
      this.releaseClaim();
      this.message = t('The inspector did not start: {0}', (error as Error).message);
      throw error;
    } finally {
      this.changed();
    }
    return this.view();
  }

  /** Puts the replaced URL back (unless the user changed webhooks.url since) and closes the receiver. */
  async stop(): Promise<InspectorView> {
    const elsewhere = this.receiver ? undefined : this.ports.lock.heldElsewhere();
    if (elsewhere) {
      // Restoring the URL here would cut off the other window's inspector while it runs.
      this.message = elsewhere.message;
      this.changed();
      throw elsewhere;
    }
    const record = this.record ?? this.leftover ?? (await this.ports.memory.get());
    if (this.state === 'starting' || this.state === 'stopping' || !record) return this.view();
    this.state = this.receiver ? 'stopping' : 'off';
    this.changed();
    try {
      const api = this.ports.api();
      const current = (await readApplicationSettings(api)).webhooks?.url ?? '';
      if (current === record.url) {
        await patchApplicationSettings(api, { webhooks: { url: record.previousUrl } });
        this.message = t('Stopped: webhooks.url is {0} again.', maskUrl(record.previousUrl) || t('(none)'));
      } else {
        this.message = t('Stopped: webhooks.url was changed meanwhile to {0}; left as it is.', maskUrl(current) || t('(none)'));
      }
      await this.ports.memory.set(undefined);
      this.leftover = undefined;
    } catch (error) {
      // The receiver still goes: the record stays, so Stop can restore the URL once the webapp answers.
      this.leftover = record;
      this.message = t('Could not restore webhooks.url to {0}: {1} Stop the inspector again once connected.', maskUrl(record.previousUrl) || t('(none)'), (error as Error).message);
      throw new Error(this.message);
    } finally {
      await this.closeReceiver();
      this.state = 'off';
      this.changed();
    }
    return this.view();
  }

  clear(): InspectorView {
    this.log.clear();
    this.refused = 0;
    this.changed();
    return this.view();
  }

  /** Stops (putting the URL back) when running; never throws (the window is closing). */
  async stopIfRunning(): Promise<void> {
    if (this.state === 'on') await this.stop().catch(() => undefined);
  }

  /** Closes the receiver; a URL not put back stays in the record for the next window to restore. */
  dispose(): void {
    this.changes.dispose();
    void this.closeReceiver();
  }

  private async closeReceiver(): Promise<void> {
    const receiver = this.receiver;
    Object.assign(this, { receiver: undefined, record: undefined, network: undefined, since: undefined });
    this.releaseClaim();
    await receiver?.close();
  }

  private releaseClaim(): void {
    this.claim?.release();
    this.claim = undefined;
  }

  private changed(): void {
    this.changes.fire();
  }
}
