// The extension's typed webapp API (the registration and shard actions of the cluster panel, the test
// message, health with an API key) over a fake of the wire: what the panel shows after each answer,
// and an answer that does not fit the contract named rather than shown as "undefined".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WebappApi, type AuthorizedCalls } from '../../src/api/webappApi';
import type { WabaApi, WabaMethod, WabaResponse } from '../../src/api/wabaClient';

/** Answers each "METHOD path" with a status and body the test gives; records what was sent. */
class Wire implements AuthorizedCalls {
  readonly sent: Array<{ route: string; body: unknown }> = [];
  constructor(private readonly answers: Record<string, [number, unknown]>) {}
  async call<T>(method: WabaMethod, path: string, body?: unknown): Promise<WabaResponse<T>> {
    this.sent.push({ route: `${method} ${path}`, body });
    const answer = this.answers[`${method} ${path}`] ?? assert.fail(`unexpected ${method} ${path}`);
    return { status: answer[0], body: answer[1] as T };
  }
}

const NUMBER = { cc: '1', phone_number: '6315550123' };

describe('the webapp API the extension calls', () => {
  it('requesting a code: the vname the webapp decoded from the certificate, or "already registered" (201)', async () => {
    const wire = new Wire({ 'POST /v1/account': [202, { account: [{ vname: 'Acme Support' }], meta: { version: 'v2.53.1' } }] });
    assert.deepEqual(await new WebappApi(wire).requestCode({ ...NUMBER, method: 'sms', cert: 'Q2VydA==' }), { status: 202, vname: 'Acme Support' });
    assert.deepEqual(wire.sent[0].body, { ...NUMBER, method: 'sms', cert: 'Q2VydA==' });
    const registered = new Wire({ 'POST /v1/account': [201, undefined] });
    assert.deepEqual(await new WebappApi(registered).requestCode({ ...NUMBER, method: 'voice', cert: 'Q2VydA==' }), { status: 201, vname: undefined });
  });

  it('the shard count the panel shows, in Meta\'s shape or wrapped in an array; a body without it is named', async () => {
    assert.equal(await new WebappApi(new Wire({ 'GET /v1/account/shards': [200, { account: { shards: 4 } }] })).shards(), 4);
    assert.equal(await new WebappApi(new Wire({ 'GET /v1/account/shards': [200, { account: [{ shards: 2 }] }] })).shards(), 2);
    await assert.rejects(new WebappApi(new Wire({ 'GET /v1/account/shards': [200, { account: {} }] })).shards(), /account\.shards must be a number, not missing/);
  });

  it('sets shards and verifies a code with the bodies Meta documents', async () => {
    const wire = new Wire({ 'POST /v1/account/shards': [201, {}], 'POST /v1/account/verify': [201, null] });
    const api = new WebappApi(wire);
    await api.setShards({ ...NUMBER, shards: 2, cert: 'Q2VydA==' });
    await api.verify('123456');
    assert.deepEqual(wire.sent.map((s) => [s.route, s.body]), [
      ['POST /v1/account/shards', { ...NUMBER, shards: 2, cert: 'Q2VydA==' }],
      ['POST /v1/account/verify', { code: '123456' }],
    ]);
  });

  it('a test message: the id the webapp answered, or what was missing in its answer', async () => {
    const wire = new Wire({ 'POST /v1/messages': [201, { messages: [{ id: 'gBEGkYiEB1VXAglK1ZEqA1YKPrU' }] }] });
    assert.equal(await new WebappApi(wire).sendText('16315551234', 'hello'), 'gBEGkYiEB1VXAglK1ZEqA1YKPrU');
    assert.deepEqual(wire.sent[0].body, { recipient_type: 'individual', to: '16315551234', type: 'text', text: { body: 'hello' } });
    await assert.rejects(new WebappApi(new Wire({ 'POST /v1/messages': [201, { messages: [] }] })).sendText('1', 'x'), /messages\[0\] must be an object, not missing/);
  });

  it('a backup without its blob is refused before a file is written', async () => {
    await assert.rejects(new WebappApi(new Wire({ 'POST /v1/settings/backup': [200, { settings: {} }] })).backup('Backup-Pass-1!'), /settings\.data must be a string, not missing/);
  });

  it('health with the cluster\'s API key instead of a login', async () => {
    const seen: string[] = [];
    const client = {
      baseUrl: 'https://127.0.0.1:9090',
      call: async (method: WabaMethod, path: string, options?: { authorization?: string }) => {
        seen.push(`${method} ${path} ${options?.authorization}`);
        return { status: 200, body: { health: { 'master1:abc': { role: 'primary_master', gateway_status: 'connected' } } } };
      },
    } as unknown as WabaApi;
    const health = await WebappApi.healthWithApiKey(client, 'key-123');
    assert.deepEqual(Object.keys(health.health), ['master1:abc']);
    assert.deepEqual(seen, ['GET /v1/health Apikey key-123']);
  });
});
