import type { WabaClient } from './wabaClient';
import { WabaApiError } from './wabaError';

export interface Credentials { username: string; password: string }

/** A logged-in user of one webapp: logs in on first use and again once when a token is refused. */
export class WabaSession {
  private token: string | undefined;

  constructor(readonly client: WabaClient, private readonly credentials: Credentials) {}

  get username(): string { return this.credentials.username; }

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

  async login(): Promise<void> {
    this.token = (await this.client.login(this.credentials.username, this.credentials.password)).token;
  }

  dispose(): void {
    this.client.dispose();
  }
}
