// Send a test message: the form checks, where the message went (from /v1/stats/app counters, the
// coreapps' logs and /v1/support, never from a hash the extension cannot know), and a refused message
// explained by the shard without an owner.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WabaApiError } from '../../src/api/wabaError';
import { explainSendFailure, messageRoute } from '../../src/messages/messageRoute';
import { checkTestMessage, SendRefusedError, TestMessageSender } from '../../src/messages/testMessage';
import type { SupportNode } from '../../src/contract';
import { FakeAdminApi } from './fakes/fakeAdminApi';

const W1 = 'wacore1:aaaaaaaaaaaa';
const W2 = 'wacore2:bbbbbbbbbbbb';
const W3 = 'wacore3:cccccccccccc';
const M1 = 'master1:dddddddddddd';

/** Two shards: wacore1 owns 0, wacore2 owns 1, wacore3 stands by. */
function multiconnect(): FakeAdminApi {
  const webapp = new FakeAdminApi();
  webapp.shards = 2;
  webapp.support = {
    [M1]: { role: 'primary_master', shards: [[-1, -1]] },
    [W1]: { role: 'coreapp', shards: [[0, 0]] },
    [W2]: { role: 'coreapp', shards: [[1, 1]] },
    [W3]: { role: 'coreapp', shards: [] },
  };
  return webapp;
}

const support = (webapp: FakeAdminApi): SupportNode[] => Object.entries(webapp.support).map(([key, body]) => ({ key, body }));

describe('test message form', () => {
  it('takes a phone number with country code as digits, and a text of at most 4096 characters', () => {
    assert.deepEqual(checkTestMessage({ to: '+1 (631) 555-1234', text: 'hi' }), { ok: true, value: { to: '16315551234', text: 'hi' } });
    const bad = checkTestMessage({ to: 'kerry', text: 'x'.repeat(4097) });
    assert.equal(bad.ok, false);
    assert.ok(!bad.ok && /digits only/.test(bad.errors.to) && /at most 4096 characters/.test(bad.errors.text));
    assert.ok(!checkTestMessage({ to: '16315551234', text: '  ' }).ok);
  });
});

describe('where a message went', () => {
  it('names the coreapp whose counter rose and whose log has the id, and its shard from /v1/support', async () => {
    const webapp = multiconnect();
    webapp.nextSender = W2;
    const sender = new TestMessageSender({ api: () => webapp.api, logMentions: async () => [{ containerId: 'bbbbbbbbbbbb0123', service: 'wacore2' }], logWaitMs: 0 });
    const result = await sender.send({ to: '16315551234', text: 'hi' });
    assert.equal(result.id, 'gBEG1');
    assert.deepEqual({ shard: result.shard, coreapp: result.coreapp, nodeKey: result.nodeKey, note: result.note }, { shard: 1, coreapp: 'wacore2', nodeKey: W2, note: undefined });
    assert.deepEqual(result.evidence, [
      '/v1/stats/app: the message counter of wacore2 rose', 'the log of wacore2 mentions the message id', '/v1/support: wacore2 owns shard 1',
    ]);
  });

  it('HA (one shard): shard 0 and its owner, whatever the stats say', () => {
    const route = messageRoute({ shards: 1, support: [{ key: W1, body: { shards: [[-1, -1], [0, 0]] } }, { key: W2, body: { shards: [] } }], logMentions: [] });
    assert.deepEqual(route, { shard: 0, coreapp: 'wacore1', nodeKey: W1, evidence: ['one shard (HA): /v1/support says wacore1 owns shard 0'] });
  });

  it('with other traffic at the same time, the log decides; without any evidence it says what is not known', () => {
    const webapp = multiconnect();
    const before = [{ key: W1, families: {} }, { key: W2, families: {} }];
    const counted = (n: number) => ({ endpoint_requests: { type: 'counter' as const, help: '', data: [{ labels: { endpoint: 'messages' }, value: n }] } });
    const after = [{ key: W1, families: counted(4) }, { key: W2, families: counted(1) }];
    const both = messageRoute({ shards: 2, support: support(webapp), statsBefore: before, statsAfter: after, logMentions: [{ containerId: 'aaaaaaaaaaaa99', service: 'wacore1' }] });
    assert.deepEqual([both.shard, both.coreapp], [0, 'wacore1']);
    const neither = messageRoute({ shards: 2, support: support(webapp), statsBefore: before, statsAfter: after, logMentions: [] });
    assert.equal(neither.coreapp, undefined);
    assert.match(neither.note!, /wacore1, wacore2 all sent messages meanwhile .*does not document the hash/);
    const nothing = messageRoute({ shards: 2, support: support(webapp), logMentions: [] });
    assert.match(nothing.note!, /no coreapp's message counter in \/v1\/stats\/app rose and no coreapp log mentions the id/);
  });

  it('a coreapp that owns no shard any more (failover since) is named, its shard is not guessed', () => {
    const webapp = multiconnect();
    const route = messageRoute({ shards: 2, support: support(webapp), logMentions: [{ containerId: 'cccccccccccc11', service: 'wacore3' }] });
    assert.equal(route.coreapp, 'wacore3');
    assert.equal(route.shard, undefined);
    assert.match(route.note!, /owning no shard now/);
  });
});

describe('a refused message', () => {
  it('names the shard without an owner: failover in progress or too few coreapps', async () => {
    const webapp = multiconnect();
    webapp.support[W2] = { errors: [{ code: 1014, title: 'Internal error', details: 'Unable to reach bbbbbbbbbbbb:6253' }] };
    webapp.nextSender = new WabaApiError(500, [{ code: 1014, title: 'Internal error', details: 'No coreapp node available for shard 1 (2 shards); start more coreapps' }], '/v1/messages');
    const sender = new TestMessageSender({ api: () => webapp.api, logMentions: async () => [], logWaitMs: 0 });
    const error = await sender.send({ to: '16315551234', text: 'hi' }).catch((e: unknown) => e);
    assert.ok(error instanceof SendRefusedError);
    assert.match(error.message, /^shard 1 has no coreapp: failover in progress or too few coreapps \(2 shards; coreapps that own one now: wacore1\)\. The webapp answered: \/v1\/messages failed with 1014/);
  });

  it('without a shard in the answer, the unowned shards of /v1/support; a failover done meanwhile says retry', () => {
    const webapp = multiconnect();
    webapp.support[W2] = { role: 'coreapp', shards: [] };
    const unowned = explainSendFailure({ code: 1014, message: '/v1/messages failed with 1014 Internal error.' }, { shards: 2, support: support(webapp) });
    assert.match(unowned, /^shard 1 has no coreapp: failover in progress or too few coreapps/);
    const healed = explainSendFailure({ code: 1014, details: 'No coreapp node available for shard 1', message: 'm' }, { shards: 2, support: support(multiconnect()) });
    assert.match(healed, /^shard 1 has no coreapp when the message was sent .* now shows an owner: retry/);
    assert.equal(explainSendFailure({ code: 1005, message: 'Access denied' }, { shards: 2, support: support(webapp) }), 'Access denied');
  });
});
