import type { Memento, SecretStorage } from 'vscode';
import type { PinnedCertificate } from './certificatePin';
import type { WabaAddress } from './wabaClient';
import type { Credentials } from './wabaSession';

const PINS_KEY = 'wabaCluster.trustedCertificates';
const secretKey = (a: WabaAddress): string => `wabaCluster.credentials/${a.host}:${a.port}`;

/**
 * What the extension remembers per webapp address: the trusted certificate (not a secret, kept in
 * global state) and the credentials (only in SecretStorage).
 */
export class ConnectionStore {
  constructor(private readonly state: Memento, private readonly secrets: SecretStorage) {}

  pin(address: WabaAddress): PinnedCertificate | undefined {
    return this.state.get<Record<string, PinnedCertificate>>(PINS_KEY, {})[`${address.host}:${address.port}`];
  }

  async setPin(address: WabaAddress, pin: PinnedCertificate | undefined): Promise<void> {
    const pins = { ...this.state.get<Record<string, PinnedCertificate>>(PINS_KEY, {}) };
    if (pin) pins[`${address.host}:${address.port}`] = pin;
    else delete pins[`${address.host}:${address.port}`];
    await this.state.update(PINS_KEY, pins);
  }

  async credentials(address: WabaAddress): Promise<Credentials | undefined> {
    const raw = await this.secrets.get(secretKey(address));
    if (!raw) return undefined;
    try {
      const parsed = JSON.parse(raw) as Credentials;
      return typeof parsed.username === 'string' && typeof parsed.password === 'string' ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  setCredentials(address: WabaAddress, credentials: Credentials): Thenable<void> {
    return this.secrets.store(secretKey(address), JSON.stringify(credentials));
  }

  forget(address: WabaAddress): Thenable<void> {
    return this.secrets.delete(secretKey(address));
  }
}
