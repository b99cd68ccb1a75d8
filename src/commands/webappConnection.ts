import * as vscode from 'vscode';
import { PinnedCertificate } from '../api/certificatePin';
import type { ConnectionStore } from '../api/connectionStore';
import { ErrorCode, passwordProblem } from '../contract';
import { readPeerCertificate } from '../api/peerCertificate';
import { WabaAddress, WabaClient } from '../api/wabaClient';
import { WabaApiError } from '../api/wabaError';
import { Credentials, WabaSession } from '../api/wabaSession';
import type { HealthBody } from '../contract';
import type { ClusterMonitor, ClusterSnapshot } from '../cluster/clusterMonitor';
import { webappAddress } from '../cluster/containerNode';
import type { HealthPoller } from '../cluster/healthPoller';

/** Answers for the connect flow, for automation (tests, other extensions); prompts fill the gaps. */
export interface ConnectOptions { username?: string; password?: string; newPassword?: string; trustFingerprint?: string }

/**
 * The extension's link to the cluster's webapp: follows the waweb container's published port,
 * reconnects silently with what the user trusted and stored before, and feeds the health poller.
 */
export class WebappConnection implements vscode.Disposable {
  private session: WabaSession | undefined;
  private address: WabaAddress | undefined;
  /** After "Disconnect", no silent reconnect until the user connects again. */
  private userDisconnected = false;
  private readonly subscription: { dispose(): void };

  constructor(private readonly store: ConnectionStore, private readonly monitor: ClusterMonitor, readonly health: HealthPoller, private readonly output: vscode.LogOutputChannel) {
    this.subscription = monitor.onDidChange((s) => void this.follow(s));
  }

  get current(): WabaSession | undefined { return this.session; }

  /** Connects with prompts for whatever is not known yet. Returns whether it is connected. */
  async connect(options: ConnectOptions = {}): Promise<boolean> {
    this.userDisconnected = false;
    const snapshot = this.monitor.snapshot.kind === 'ready' ? this.monitor.snapshot : await this.monitor.refresh();
    const address = snapshot.kind === 'ready' ? webappAddress(snapshot.nodes) : undefined;
    if (!address) {
      void vscode.window.showErrorMessage('The webapp is not reachable: no running container publishes port 443 (waweb in multiconnect-compose.yml). Start the cluster first.');
      return false;
    }
    let pin = this.store.pin(address) ?? (await this.askToTrust(address, options.trustFingerprint));
    if (!pin) return false;
    const presented = await readPeerCertificate(address.host, address.port).catch(() => undefined);
    if (presented && presented.fingerprint !== pin.fingerprint) {
      // A re-created cluster (down -v) has a new certificate: show both and ask again.
      pin = await this.askToTrust(address, options.trustFingerprint, pin.fingerprint);
      if (!pin) return false;
    }
    const client = new WabaClient(address, pin);
    const credentials = await this.logIn(client, address, options);
    if (!credentials) { client.dispose(); return false; }
    await this.store.setCredentials(address, credentials);
    this.use(address, new WabaSession(client, credentials));
    return true;
  }

  /** Stops polling. `byUser`: stays disconnected until the user connects again. */
  async disconnect(options: { byUser: boolean; forget?: boolean }): Promise<void> {
    if (options.byUser) this.userDisconnected = true;
    if (options.forget && this.address) await this.forget(this.address);
    this.session?.dispose();
    this.session = undefined;
    this.health.stop();
  }

  /** Forgets the trusted certificate and the credentials of an address (e.g. after `down -v`). */
  async forget(address: WabaAddress): Promise<void> {
    await this.store.setPin(address, undefined);
    await this.store.forget(address);
  }

  /** Disconnects and forgets the current webapp's certificate and credentials. */
  async forgetCurrent(): Promise<void> {
    const address = this.address;
    await this.disconnect({ byUser: false });
    if (address) await this.forget(address);
  }

  dispose(): void {
    this.subscription.dispose();
    void this.disconnect({ byUser: false });
  }

  private use(address: WabaAddress, session: WabaSession): void {
    this.session?.dispose();
    this.address = address;
    this.session = session;
    this.output.info(`Connected to the webapp at ${session.client.baseUrl} as ${session.username}`);
    void this.health.start(() => session.authorized((authorization) => session.client.call<HealthBody>('GET', '/v1/health', { authorization })).then((r) => r.body));
  }

  /** Reconnects without prompts when the webapp appears at an address already trusted. */
  private async follow(snapshot: ClusterSnapshot): Promise<void> {
    const address = snapshot.kind === 'ready' ? webappAddress(snapshot.nodes) : undefined;
    const same = address && this.address && address.host === this.address.host && address.port === this.address.port;
    if ((same && this.session) || this.userDisconnected) return;
    if (!address) {
      if (this.session) await this.disconnect({ byUser: false });
      return;
    }
    const pin = this.store.pin(address);
    const credentials = pin && (await this.store.credentials(address));
    if (!pin || !credentials) return;
    this.use(address, new WabaSession(new WabaClient(address, pin), credentials));
  }

  private async askToTrust(address: WabaAddress, expectedFingerprint: string | undefined, replacing?: string): Promise<PinnedCertificate | undefined> {
    let pin: PinnedCertificate;
    try {
      pin = await readPeerCertificate(address.host, address.port);
    } catch (error) {
      void vscode.window.showErrorMessage(`Cannot read the webapp's certificate at ${address.host}:${address.port}: ${(error as Error).message}`);
      return undefined;
    }
    if (expectedFingerprint !== undefined) {
      if (expectedFingerprint.toUpperCase() !== pin.fingerprint) {
        void vscode.window.showErrorMessage(`The webapp at ${address.host}:${address.port} presents certificate ${pin.fingerprint}, not the expected ${expectedFingerprint}.`);
        return undefined;
      }
    } else {
      const trust = 'Trust This Certificate';
      const changed = replacing ? `\n\nThis address presented a DIFFERENT certificate before (SHA-256 ${replacing}). Expected after re-creating the cluster (down -v); otherwise do not trust it.` : '';
      const answer = await vscode.window.showWarningMessage(
        `Trust the webapp's ${replacing ? 'new ' : ''}self-signed certificate for ${address.host}:${address.port}?`,
        { modal: true, detail: `Subject: ${pin.subject}\nValid until: ${pin.validTo}\nSHA-256: ${pin.fingerprint}\n\nOnly this exact certificate will be accepted for this address.${changed}` },
        trust);
      if (answer !== trust) return undefined;
    }
    await this.store.setPin(address, pin);
    return pin;
  }

  private async logIn(client: WabaClient, address: WabaAddress, options: ConnectOptions): Promise<Credentials | undefined> {
    const stored = await this.store.credentials(address);
    const username = options.username ?? stored?.username ?? (await vscode.window.showInputBox({ title: 'WABA webapp login', prompt: `User name for ${client.baseUrl}`, value: 'admin', ignoreFocusOut: true }));
    if (!username) return undefined;
    const remembered = options.password === undefined && options.username === undefined ? stored?.password : undefined;
    const askPassword = () => vscode.window.showInputBox({ title: 'WABA webapp login', prompt: `Password of ${username} (the first login of admin uses "secret")`, password: true, ignoreFocusOut: true });
    const password = options.password ?? remembered ?? (await askPassword());
    if (!password) return undefined;
    try {
      await client.login(username, password);
      return { username, password };
    } catch (error) {
      if (error instanceof WabaApiError && error.code === ErrorCode.PasswordChangeRequired) return this.changePassword(client, username, password, options.newPassword);
      if (error instanceof WabaApiError && error.status === 401 && password === remembered) {
        // The stored password no longer works (changed elsewhere, or the cluster was re-created): ask.
        return this.logIn(client, address, { ...options, username, password: (await askPassword()) ?? '' });
      }
      void vscode.window.showErrorMessage(error instanceof WabaApiError && error.status === 401 ? `Login refused for ${username}: wrong user name or password.` : `Login failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  private async changePassword(client: WabaClient, username: string, password: string, given: string | undefined): Promise<Credentials | undefined> {
    const newPassword = given ?? (await vscode.window.showInputBox({
      title: 'Choose a new password', prompt: `The webapp requires a new password for ${username} on its first login`, password: true, ignoreFocusOut: true,
      validateInput: (v) => { const p = passwordProblem(v); return p ? `The password ${p}.` : undefined; },
    }));
    if (!newPassword) return undefined;
    const problem = passwordProblem(newPassword);
    if (problem) { void vscode.window.showErrorMessage(`The new password ${problem}.`); return undefined; }
    try {
      await client.login(username, password, newPassword);
      return { username, password: newPassword };
    } catch (error) {
      void vscode.window.showErrorMessage(`Changing the password failed: ${(error as Error).message}`);
      return undefined;
    }
  }
}
