import { CertificateMismatchError } from '../api/certificatePin';
import type { ConnectionStore } from '../api/connectionStore';
import type { WabaAddress } from '../api/wabaClient';
import { LoginRefusedError, WabaApiError } from '../api/wabaError';
import { WabaSession } from '../api/wabaSession';
import type { HealthPoller } from '../cluster/healthPoller';
import type { HealthBody } from '../contract';
import { t } from '../l10n';
import { ConnectWorkflow, type ConnectPorts } from '../workflows/connectWorkflow';
import type { SessionPrompter } from '../workflows/sessionPrompter';
import { describeRoute, sameAddress, type WebappLocator } from './webappLocator';

/** Why a string cannot be a WA_API_KEY (Meta: 12 to 128 characters), or undefined. */
export function apiKeyProblem(key: string): string | undefined {
  return key.length >= 12 && key.length <= 128 ? undefined : t('WA_API_KEY has 12 to 128 characters.');
}

/** What the session needs from the outside world; the extension passes the real ones, tests fakes. */
export interface SessionPorts extends ConnectPorts {
  store: Pick<ConnectionStore, 'pin' | 'setPin' | 'credentials' | 'setCredentials' | 'forget' | 'apiKey' | 'setApiKey'>;
  locator: WebappLocator;
  health: HealthPoller;
}

/**
 * The extension's link to the cluster's webapp, without VS Code: connects with the answers of a
 * prompter (trust the certificate, log in, change the first password, re-ask a stale password),
 * follows the webapp container, reconnects silently with what was trusted and stored, and feeds
 * the health poller. A refused password or a new certificate met while polling signs out with
 * the reason, so a re-created cluster never gets the old credentials sent over and over.
 */
export class ClusterSession {
  private session: WabaSession | undefined;
  private address: WabaAddress | undefined;
  private apiKey: string | undefined;
  /** After "Disconnect" or a sign-out for a reason, no silent reconnect until the user connects again. */
  private holdOff = false;
  private connecting = false;
  private readonly subscription: { dispose(): void };
  private readonly connectWorkflow: ConnectWorkflow;

  constructor(private readonly ports: SessionPorts) {
    this.connectWorkflow = new ConnectWorkflow(ports);
    this.subscription = ports.locator.onDidChange((address) => void this.follow(address));
  }

  get current(): WabaSession | undefined { return this.session; }
  get health(): HealthPoller { return this.ports.health; }

  /** The connected webapp and how it is reached, e.g. "Webapp https://host2:9090 through a forward over ssh (…)". */
  get webappLine(): string | undefined {
    const a = this.address;
    if (!a) return undefined;
    const route = describeRoute(a, a.dial);
    return route ? t('Webapp {0} {1}', `https://${a.host}:${a.port}`, route) : t('Webapp {0}', `https://${a.host}:${a.port}`);
  }

  /**
   * Connects, asking `prompter` for whatever is not known yet. Returns false when the user
   * declined a question; throws (with what to do) when the webapp cannot be reached or refuses.
   */
  async connect(prompter: SessionPrompter): Promise<boolean> {
    this.holdOff = false;
    this.connecting = true;
    try {
      const address = await this.ports.locator.locate();
      if (!address) throw new Error(t('The webapp is not reachable: no running container publishes port 443 (waweb in multiconnect-compose.yml). Start the cluster first.'));
      if (address.problem) throw new Error(address.problem);
      const target = await this.reach(address);
      const login = await this.connectWorkflow.run(target, prompter);
      if (!login) return false;
      try {
        await this.ports.store.setCredentials(target, login.credentials);
        await this.use(target, new WabaSession(login.client, login.credentials, login.token));
        return true;
      } catch (error) {
        login.client.dispose();
        throw error;
      }
    } finally {
      this.connecting = false;
      // A forward opened for a connect that did not end connected serves nobody.
      if (!this.session) this.ports.locator.release?.();
    }
  }

  /** Stops polling. `byUser`: stays disconnected until the user connects again. */
  async disconnect(options: { byUser: boolean; forget?: boolean; reason?: string }): Promise<void> {
    if (options.byUser) this.holdOff = true;
    const address = this.address;
    this.session?.dispose();
    this.session = undefined;
    this.address = undefined;
    this.ports.locator.release?.();
    this.ports.health.stop(options.reason);
    if (options.forget && address) await this.forget(address);
  }

  /** Forgets the trusted certificate, the credentials and the API key of an address (e.g. after `down -v`). */
  async forget(address: WabaAddress): Promise<void> {
    await this.ports.store.setPin(address, undefined);
    await this.ports.store.forget(address);
  }

  /** Disconnects and forgets the current webapp's certificate and secrets. */
  async forgetCurrent(): Promise<void> {
    const address = this.address ?? (await this.ports.locator.locate());
    await this.disconnect({ byUser: false });
    if (address) await this.forget(address);
  }

  /** Stores (or with undefined, removes) the cluster's WA_API_KEY; health is then polled with it. */
  async setApiKey(key: string | undefined): Promise<void> {
    const problem = key === undefined ? undefined : apiKeyProblem(key);
    if (problem) throw new Error(problem);
    const address = this.address ?? (await this.ports.locator.locate());
    if (!address) throw new Error(t('The webapp is not reachable: start the cluster first, so the key can be stored for its address.'));
    await this.ports.store.setApiKey(address, key);
    if (sameAddress(address, this.address)) {
      this.apiKey = key;
      void this.ports.health.poll();
    }
  }

  dispose(): void {
    this.subscription.dispose();
    void this.disconnect({ byUser: false });
  }

  /** The address with where to connect for it: a forward over the engine's ssh is opened when it needs one. */
  private async reach(address: WabaAddress): Promise<WabaAddress> {
    if (!address.forward || !this.ports.locator.reach) return address;
    try {
      return { ...address, dial: await this.ports.locator.reach(address) };
    } catch (error) {
      throw new Error(t('Cannot reach the webapp at {0} {1}: {2}', `${address.host}:${address.port}`, describeRoute(address) ?? '', (error as Error).message));
    }
  }

  private async use(address: WabaAddress, session: WabaSession): Promise<void> {
    this.session?.dispose();
    this.address = address;
    this.session = session;
    this.apiKey = await this.ports.store.apiKey(address);
    this.ports.log.info(`Connected to the webapp at ${session.client.baseUrl} as ${session.username}${this.apiKey ? '; health is polled with the API key' : ''}`);
    void this.ports.health.start(() => this.fetchHealth(session));
  }

  private async fetchHealth(session: WabaSession): Promise<HealthBody> {
    try {
      if (this.apiKey) {
        try {
          return (await session.client.call<HealthBody>('GET', '/v1/health', { authorization: `Apikey ${this.apiKey}` })).body;
        } catch (error) {
          if (!(error instanceof WabaApiError) || error.status !== 401) throw error;
          this.ports.log.warn(`The webapp refused the stored API key (401); polling health with the login of ${session.username} instead.`);
          this.apiKey = undefined;
        }
      }
      return (await session.authorized((authorization) => session.client.call<HealthBody>('GET', '/v1/health', { authorization }))).body;
    } catch (error) {
      const reason = this.signOutReason(error, session);
      if (reason && this.session === session) {
        this.ports.log.warn(reason);
        // Held off like a user's Disconnect: the stored secret or pin would be refused again on every change.
        await this.disconnect({ byUser: true, reason });
      }
      throw error;
    }
  }

  /** Errors after which polling on must stop: every further request would be refused the same way. */
  private signOutReason(error: unknown, session: WabaSession): string | undefined {
    const where = session.client.baseUrl;
    if (error instanceof LoginRefusedError) return t('The stored password of {0} no longer works at {1} (changed elsewhere, or the cluster was re-created): connect again to log in.', session.username, where);
    if (error instanceof CertificateMismatchError) return t('The webapp at {0} presents a new certificate (the cluster was re-created?): connect again to check and trust it.', where);
    return undefined;
  }

  /** Reconnects without prompts when the webapp appears at an address already trusted. */
  private async follow(address: WabaAddress | undefined): Promise<void> {
    if (this.holdOff || this.connecting) return;
    if (sameAddress(address, this.address) && this.session) return;
    if (!address || address.problem) {
      if (this.session) await this.disconnect({ byUser: false });
      return;
    }
    const pin = this.ports.store.pin(address);
    const credentials = pin && (await this.ports.store.credentials(address));
    if (!pin || !credentials || this.connecting || (sameAddress(address, this.address) && this.session)) return;
    let target: WabaAddress;
    try {
      target = await this.reach(address);
    } catch (error) {
      this.ports.log.warn(`Did not reconnect to ${address.host}:${address.port}: ${(error as Error).message}`);
      return;
    }
    if (this.connecting || (sameAddress(address, this.address) && this.session)) return;
    await this.use(target, new WabaSession(this.ports.openClient(target, pin), credentials));
  }
}
