// The webapp's API as the extension uses it: one method per route of the contract's table
// (src/contract/routes.ts), each answer checked by its route's parser. The only way the extension
// calls the webapp; a logged-in session has one (WabaSession.api), tests give it a fake of the wire.
import {
  ROUTES, textMessage, type ApplicationSettings, type HealthBody, type NodeMetrics, type RegistrationRequest, type Reported,
  type RequestOf, type ResponseOf, type RouteName, type SetShardsRequest, type SupportNode,
} from '../contract';
import type { WabaApi, WabaMethod, WabaResponse } from './wabaClient';

/** Authorised calls by method and path: a session's (with its bearer token), or a test's fake of the webapp. */
export interface AuthorizedCalls {
  call<T>(method: WabaMethod, path: string, body?: unknown): Promise<WabaResponse<T>>;
}

export class WebappApi {
  constructor(private readonly calls: AuthorizedCalls) {}

  /** `ROUTES.health` with the cluster's WA_API_KEY instead of a login. */
  static async healthWithApiKey(client: WabaApi, apiKey: string): Promise<HealthBody> {
    const r = ROUTES.health;
    return r.parse((await client.call<unknown>(r.method, r.path, { authorization: `Apikey ${apiKey}` })).body);
  }

  health(): Promise<HealthBody> { return this.body('health'); }

  /** Every node's support answer (one with key "" for a single instance). */
  support(): Promise<SupportNode[]> { return this.body('support'); }

  statsApp(): Promise<NodeMetrics[]> { return this.body('statsApp'); }

  async settings(): Promise<Reported<ApplicationSettings>> { return (await this.body('settings')).settings.application; }

  /** Only the fields present change. */
  async patchSettings(patch: Record<string, unknown>): Promise<void> { await this.send('patchSettings', patch); }

  /** Meta's encrypted blob of the settings and the registration. */
  async backup(password: string): Promise<string> { return (await this.body('backup', { password })).settings.data; }

  async restore(data: string, password: string): Promise<void> { await this.send('restore', { password, data }); }

  /** 202 with the vname decoded from the cert when a code was sent, 201 when the number is registered already. */
  async requestCode(body: RegistrationRequest): Promise<{ status: number; vname?: string }> {
    const r = await this.send('requestCode', body);
    return { status: r.status, vname: r.body.account?.[0]?.vname };
  }

  async verify(code: string): Promise<void> { await this.send('verify', { code }); }

  /** The number's shard count (1 to 32). */
  async shards(): Promise<number> { return (await this.body('shards')).account.shards; }

  async setShards(body: SetShardsRequest): Promise<void> { await this.send('setShards', body); }

  /** Sends a text message; the id the webapp answered. */
  async sendText(to: string, text: string): Promise<string> { return (await this.body('sendMessage', textMessage(to, text))).messages[0].id; }

  private async send<N extends RouteName>(name: N, body?: RequestOf<N>): Promise<{ status: number; body: ResponseOf<N> }> {
    const r = ROUTES[name];
    const answer = await this.calls.call<unknown>(r.method, r.path, body);
    return { status: answer.status, body: r.parse(answer.body) as ResponseOf<N> };
  }

  private async body<N extends RouteName>(name: N, body?: RequestOf<N>): Promise<ResponseOf<N>> {
    return (await this.send(name, body)).body;
  }
}
