import type { Memento, SecretStorage } from 'vscode';
import type { PinnedCertificate } from './certificatePin';
import type { WabaAddress } from './wabaClient';
import type { Credentials } from './wabaSession';

const PINS_KEY = 'wabaCluster.trustedCertificates';
const secretKey = (a: WabaAddress): string => `wabaCluster.credentials/${a.host}:${a.port}`;
const apiKeyKey = (a: WabaAddress): string => `wabaCluster.apiKey/${a.host}:${a.port}`;

/**
 * What the extension remembers per webapp address: the trusted certificate (not a secret, kept in
 * global state), the credentials and the API key (only in SecretStorage).
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

  /** The cluster's WA_API_KEY, when the user gave it: health is then polled with it. */
  async apiKey(address: WabaAddress): Promise<string | undefined> {
    return (await this.secrets.get(apiKeyKey(address))) || undefined;
  }

  async setApiKey(address: WabaAddress, key: string | undefined): Promise<void> {
    if (key) await this.secrets.store(apiKeyKey(address), key);
    else await this.secrets.delete(apiKeyKey(address));
  }

  /** Forgets the credentials and the API key of an address. */
  async forget(address: WabaAddress): Promise<void> {
    await this.secrets.delete(secretKey(address));
    await this.secrets.delete(apiKeyKey(address));
  }
}
