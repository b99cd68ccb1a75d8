import type { WabaSession } from './wabaSession';

/** The admin actions of Meta's guide, over a logged-in session. */
export class ClusterActions {
  constructor(private readonly session: WabaSession) {}

  /** `POST /v1/account`: 202 with the vname when a code was sent, 201 when already registered. */
  async requestCode(body: { cc: string; phone_number: string; method: string; cert: string; pin?: string }): Promise<{ status: number; vname?: string }> {
    const r = await this.session.authorized((authorization) => this.session.client.call<{ account?: Array<{ vname?: string }> }>('POST', '/v1/account', { authorization, body }));
    return { status: r.status, vname: r.body?.account?.[0]?.vname };
  }

  async verify(code: string): Promise<void> {
    await this.session.authorized((authorization) => this.session.client.call('POST', '/v1/account/verify', { authorization, body: { code } }));
  }

  async shards(): Promise<number | undefined> {
    const r = await this.session.authorized((authorization) => this.session.client.call<{ account?: { shards?: number } | Array<{ shards?: number }> }>('GET', '/v1/account/shards', { authorization }));
    const account = r.body?.account;
    return Array.isArray(account) ? account[0]?.shards : account?.shards;
  }

  async setShards(body: { cc: string; phone_number: string; shards: number; cert?: string; pin?: string }): Promise<void> {
    await this.session.authorized((authorization) => this.session.client.call('POST', '/v1/account/shards', { authorization, body }));
  }
}
