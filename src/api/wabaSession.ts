import type { WabaApi } from './wabaClient';
import { WebappApi } from './webappApi';
import { WabaApiError } from './wabaError';

export interface Credentials { username: string; password: string }

/**
 * A logged-in user of one webapp: logs in on first use and again once when a token is refused
 * (expired after 7 days, or the webapp restarted with a new key). A refused password throws
 * LoginRefusedError.
 */
export class WabaSession {
  private loggingIn: Promise<void> | undefined;

  /** The webapp's API over this login: every call the extension makes goes through it. */
  readonly api: WebappApi;

  /** `token`: from a login just made with these credentials, so it is not repeated. */
  constructor(readonly client: WabaApi, private readonly credentials: Credentials, private token?: string) {
    this.api = new WebappApi({ call: (method, path, body) => this.authorized((authorization) => client.call(method, path, { authorization, body })) });
  }

  get username(): string { return this.credentials.username; }

  /** The password and token in use: what a support bundle must mask wherever they appear. */
  get secrets(): string[] { return [this.credentials.password, this.token ?? ''].filter(Boolean); }

  /** Runs `call` with a bearer header; on 401 logs in again and retries once. */
  async authorized<T>(call: (authorization: string) => Promise<T>): Promise<T> {
    if (!this.token) await this.login();
    try {
      return await call(`Bearer ${this.token}`);
    } catch (error) {
      if (!(error instanceof WabaApiError) || error.status !== 401) throw error;
      await this.login();
      return call(`Bearer ${this.token}`);
    }
  }

  /** Logs in; concurrent callers share one login. */
  login(): Promise<void> {
    this.loggingIn ??= this.client.login(this.credentials.username, this.credentials.password)
      .then((r) => { this.token = r.token; })
      .finally(() => { this.loggingIn = undefined; });
    return this.loggingIn;
  }

  dispose(): void {
    this.client.dispose();
  }
}
