// Connecting to a webapp, once: trust its certificate (first contact, or a new one after the
// cluster was re-created), log in with the stored or asked credentials, change the first-login
// password. The questions go to a prompter; nothing is stored but the trusted pin.
import type { PinnedCertificate } from '../api/certificatePin';
import type { ConnectionStore } from '../api/connectionStore';
import type { WabaAddress, WabaApi } from '../api/wabaClient';
import { LoginRefusedError, WabaApiError } from '../api/wabaError';
import type { Credentials } from '../api/wabaSession';
import { ErrorCode, passwordGaps, type PasswordCharacterClass } from '../contract';
import { t } from '../l10n';
import type { SessionPrompter } from './sessionPrompter';

/** Why a new password breaks the client's rules (contract passwordGaps), in the user's language; undefined when it is fine. */
export function newPasswordProblem(password: string): string | undefined {
  const { badLength, missing } = passwordGaps(password);
  if (badLength) return t('The new password must be 8 to 64 characters long.');
  if (!missing.length) return undefined;
  const names: Record<PasswordCharacterClass, () => string> = {
    digit: () => t('a digit'), upper: () => t('an upper-case letter'), lower: () => t('a lower-case letter'), special: () => t('a special character'),
  };
  return t('The new password needs {0}.', missing.map((c) => names[c]()).join(t(', ')));
}

export interface ConnectPorts {
  store: Pick<ConnectionStore, 'pin' | 'setPin' | 'credentials'>;
  /** The certificate the webapp presents now (trust on first use). */
  readCertificate(address: WabaAddress): Promise<PinnedCertificate>;
  /** A client that accepts only `pin` from `address`. */
  openClient(address: WabaAddress, pin: PinnedCertificate): WabaApi;
  log: { info(message: string): void; warn(message: string): void };
}

/** A logged-in client and what it logged in with; the caller owns the client. */
export interface Login { client: WabaApi; credentials: Credentials; token: string }

export class ConnectWorkflow {
  constructor(private readonly ports: ConnectPorts) {}

  /** Undefined when the user declined a question; throws (with what to do) when the webapp refuses. */
  async run(address: WabaAddress, prompter: SessionPrompter): Promise<Login | undefined> {
    const pin = await this.trustedPin(address, prompter);
    if (!pin) return undefined;
    const client = this.ports.openClient(address, pin);
    try {
      const login = await this.logIn(client, address, prompter);
      if (!login) { client.dispose(); return undefined; }
      return { client, ...login };
    } catch (error) {
      client.dispose();
      throw error;
    }
  }

  /** The pin to use: the stored one while the webapp still presents it, else what the user trusts now. */
  private async trustedPin(address: WabaAddress, prompter: SessionPrompter): Promise<PinnedCertificate | undefined> {
    let presented: PinnedCertificate;
    try {
      presented = await this.ports.readCertificate(address);
    } catch (error) {
      throw new Error(t("Cannot read the webapp's certificate at {0}: {1}", `${address.host}:${address.port}`, (error as Error).message));
    }
    const stored = this.ports.store.pin(address);
    if (stored?.fingerprint === presented.fingerprint) return stored;
    // First contact, or a re-created cluster (down -v) with a new certificate: the user decides.
    if (!(await prompter.trustCertificate(address, presented, stored))) return undefined;
    await this.ports.store.setPin(address, presented);
    if (stored) this.ports.log.warn(`Trusted a new certificate for ${address.host}:${address.port} (SHA-256 ${presented.fingerprint}), replacing ${stored.fingerprint}.`);
    return presented;
  }

  private async logIn(client: WabaApi, address: WabaAddress, prompter: SessionPrompter): Promise<{ credentials: Credentials; token: string } | undefined> {
    const stored = await this.ports.store.credentials(address);
    if (stored) {
      try {
        return { credentials: stored, token: (await client.login(stored.username, stored.password)).token };
      } catch (error) {
        if (!(error instanceof LoginRefusedError)) throw error;
        this.ports.log.warn(`The stored password of ${stored.username} was refused by ${client.baseUrl}; asking again.`);
      }
    }
    const username = stored?.username ?? (await prompter.username(client.baseUrl));
    if (!username) return undefined;
    const password = await prompter.password(username, client.baseUrl, stored !== undefined);
    if (!password) return undefined;
    try {
      return { credentials: { username, password }, token: (await client.login(username, password)).token };
    } catch (error) {
      if (error instanceof WabaApiError && error.code === ErrorCode.PasswordChangeRequired) return this.changePassword(client, username, password, prompter);
      if (error instanceof LoginRefusedError) throw new Error(t('Login refused for {0}: wrong user name or password.', username));
      throw error;
    }
  }

  private async changePassword(client: WabaApi, username: string, password: string, prompter: SessionPrompter): Promise<{ credentials: Credentials; token: string } | undefined> {
    const newPassword = await prompter.newPassword(username);
    if (!newPassword) return undefined;
    const problem = newPasswordProblem(newPassword);
    if (problem) throw new Error(problem);
    const { token } = await client.login(username, password, newPassword);
    this.ports.log.info(`Changed the first-login password of ${username} on ${client.baseUrl}.`);
    return { credentials: { username, password: newPassword }, token };
  }
}
