// The shard map feed with fakes of its ports: a health source the test drives and the webapp's wire
// (fakeAdminApi.ts) behind the extension's typed API. What is asserted is what the tree, the status bar
// and the topology show: who owns which shard, or why that is not known.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHealth, summarizeHealth } from '../../src/cluster/clusterHealth';
import type { HealthState } from '../../src/cluster/healthPoller';
import { WabaApiError } from '../../src/api/wabaError';
import { SupportFeed, type SupportState } from '../../src/topology/supportFeed';
import { FakeAdminApi } from './fakes/fakeAdminApi';
import { multiconnect, nodeKey } from './fakes/fakeEngine';

class FakeHealth {
  state: HealthState = { kind: 'signedOut' };
  private readonly listeners = new Set<(s: HealthState) => void>();
  onDidChange(listener: (s: HealthState) => void) { this.listeners.add(listener); return { dispose: () => this.listeners.delete(listener) }; }
  emit(state: HealthState): void { this.state = state; for (const l of [...this.listeners]) l(state); }
  answered(webapp: FakeAdminApi, backoff = false): void {
    const nodes = parseHealth({ health: webapp.health });
    this.emit({ kind: 'ok', nodes, summary: summarizeHealth(nodes), at: new Date(), ...(backoff ? { backoff: { retryAt: new Date(), message: 'rate limited' } } : {}) });
  }
}

/** The shard map as the tree shows it: "wacore1 0", "master1 control". */
const owners = (feed: SupportFeed): string[] => feed.shards.flatMap((s) => [...(s.control ? [`${s.coreappHostname} control`] : []), ...s.shards.map((n) => `${s.coreappHostname} ${n}`)]);
const settled = (feed: SupportFeed): Promise<SupportState> => new Promise((resolve) => { const sub = feed.onDidChange((s) => { sub.dispose(); resolve(s); }); });

function feedOver(webapp: FakeAdminApi | undefined) {
  const health = new FakeHealth();
  let connected = webapp;
  const feed = new SupportFeed({ health, fetchSupport: () => connected?.api.support(), now: () => Date.parse('2026-12-01T10:00:00Z') });
  return { health, feed, disconnect: () => { connected = undefined; } };
}

describe('the shard map feed', () => {
  it('reads who owns which shard after each health answer', async () => {
    const webapp = multiconnect(new FakeAdminApi());
    const { health, feed } = feedOver(webapp);
    const next = settled(feed);
    health.answered(webapp);
    assert.equal((await next).kind, 'ok');
    assert.deepEqual(owners(feed), ['master1 control', 'wacore1 0', 'wacore2 1']);

    // A failover: wacore3 took shard 1; the next health answer shows it.
    webapp.support[nodeKey('wacore2')] = { errors: [{ code: 1014, title: 'Internal error' }] };
    webapp.support[nodeKey('wacore3')] = { role: 'coreapp', shards: [[1, 1]] };
    const after = settled(feed);
    health.answered(webapp);
    await after;
    assert.deepEqual(owners(feed), ['master1 control', 'wacore1 0', 'wacore3 1']);
  });

  it('does not ask again while health is rate-limited (the same answer repeated)', async () => {
    const webapp = multiconnect(new FakeAdminApi());
    const { health, feed } = feedOver(webapp);
    const first = settled(feed);
    health.answered(webapp);
    await first;
    health.answered(webapp, true);
    await new Promise((r) => setImmediate(r));
    assert.equal(webapp.calls.filter((c) => c === 'GET /v1/support').length, 1);
  });

  it('says why the shard map is not known when the webapp refuses, and forgets it on sign-out', async () => {
    const webapp = multiconnect(new FakeAdminApi());
    webapp.failing.set('GET /v1/support', new WabaApiError(403, [{ code: 1005, title: 'Access denied' }], '/v1/support'));
    const { health, feed } = feedOver(webapp);
    const failed = settled(feed);
    health.answered(webapp);
    const state = await failed;
    assert.equal(state.kind, 'failed');
    assert.match(state.kind === 'failed' ? state.message : '', /1005 Access denied.*admin user/);
    assert.deepEqual(owners(feed), []);

    webapp.failing.clear();
    const ok = settled(feed);
    health.answered(webapp);
    await ok;
    const gone = settled(feed);
    health.emit({ kind: 'signedOut' });
    assert.equal((await gone).kind, 'none');
    assert.deepEqual(owners(feed), [], 'no shard owner shown after sign-out');
  });

  it('one request at a time: a health answer during a read is followed by one more read', async () => {
    const webapp = multiconnect(new FakeAdminApi());
    const { health, feed } = feedOver(webapp);
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const original = webapp.call.bind(webapp);
    webapp.call = async (method, path, body) => { if (path.endsWith('/support')) await gate; return original(method, path, body); };
    health.answered(webapp);
    health.answered(webapp);
    health.answered(webapp);
    webapp.support[nodeKey('wacore3')] = { role: 'coreapp', shards: [[0, 0]] };
    webapp.support[nodeKey('wacore1')] = { role: 'coreapp', shards: [] };
    release();
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(webapp.calls.filter((c) => c === 'GET /v1/support').length, 2);
    assert.deepEqual(owners(feed), ['master1 control', 'wacore2 1', 'wacore3 0'], 'the later read wins');
  });

  it('not connected: nothing is asked and no owner is shown', async () => {
    const { feed } = feedOver(undefined);
    assert.deepEqual(await feed.read(), { kind: 'none' });
    assert.deepEqual(owners(feed), []);
  });
});
