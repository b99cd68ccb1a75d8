// The webhook inspector: its callback log (entries, counts per type, raw JSON, bounded), the choice of
// the cluster network and of the peers it accepts, the receiver with real sockets on loopback
// addresses (a peer outside the network is dropped unanswered), and the workflow against a fake
// webapp (the URL replaced and put back, a refusal leaves nothing changed, a crashed window's URL restored).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CallbackLog } from '../../src/webhooks/callbackLog';
import { startCallbackReceiver, type ReceiverOptions } from '../../src/webhooks/callbackReceiver';
import { chooseClusterNetwork, isClusterPeer, type ClusterNetwork } from '../../src/webhooks/clusterNetwork';
import { WebhookInspector, type InspectorRecord } from '../../src/webhooks/webhookInspector';
import { WindowLocks } from '../../src/workspace/windowLock';
import { FakeAdminApi } from './fakes/fakeAdminApi';

const status = (id: string, s: string) => JSON.stringify({ statuses: [{ id, recipient_id: '16315551234', status: s, timestamp: '1700000000' }] });

describe('callback log', () => {
  it('one entry per status, inbound message or error, with time, type, id and the raw JSON; counts per type', () => {
    const log = new CallbackLog();
    const at = new Date('2026-11-28T10:00:00Z');
    log.add(status('gBEG1', 'delivered'), at);
    log.add(status('gBEG1', 'read'), at);
    log.add(JSON.stringify({ contacts: [{ profile: { name: 'Kerry' }, wa_id: '16315559999' }], messages: [{ from: '16315559999', id: 'ABGG1', timestamp: '1700000001', type: 'text', text: { body: 'hi' } }] }), at);
    log.add('not json', at);
    const view = log.view();
    assert.deepEqual(view.entries.map((e) => [e.seq, e.type, e.detail, e.messageId ?? '-']), [
      [1, 'status', 'delivered', 'gBEG1'], [2, 'status', 'read', 'gBEG1'], [3, 'message', 'text', 'ABGG1'], [4, 'invalid', 'not JSON', '-'],
    ]);
    assert.deepEqual(view.counts, { 'status delivered': 1, 'status read': 1, 'message text': 1, invalid: 1 });
    assert.equal(view.total, 4);
    assert.equal(view.entries[0].at, '2026-11-28T10:00:00.000Z');
    assert.match(view.entries[0].raw, /^\{\n {2}"statuses": \[/, 'pretty-printed for the expanded view');
  });

  it('keeps the newest entries only, but counts everything', () => {
    const log = new CallbackLog(3);
    for (let i = 1; i <= 5; i++) log.add(status(`gBEG${i}`, 'delivered'), new Date());
    const view = log.view();
    assert.deepEqual(view.entries.map((e) => e.messageId), ['gBEG3', 'gBEG4', 'gBEG5']);
    assert.equal(view.counts['status delivered'], 5);
  });
});

describe('cluster network', () => {
  const net = (name: string, ip: string, gateway: string) => ({ name, ip, prefixLength: 16, gateway });

  it('is the bridge every WhatsApp node is on; the peers are its containers, not its gateway (the host)', () => {
    const network = chooseClusterNetwork([
      { service: 'db', networks: [net('biz_db', '172.20.0.2', '172.20.0.1')] },
      { service: 'waweb', networks: [net('biz_default', '172.18.0.3', '172.18.0.1'), net('extra', '172.19.0.2', '172.19.0.1')] },
      { service: 'wacore1', networks: [net('biz_default', '172.18.0.5', '172.18.0.1')] },
    ]);
    assert.deepEqual(network, { name: 'biz_default', gateway: '172.18.0.1', cidr: '172.18.0.0/16' });
    assert.equal(isClusterPeer('172.18.0.5', network), true);
    assert.equal(isClusterPeer('::ffff:172.18.0.9', network), true);
    assert.equal(isClusterPeer('172.18.0.1', network), false, 'the gateway is the host itself');
    assert.equal(isClusterPeer('172.17.0.2', network), false, 'a container of another network');
    assert.equal(isClusterPeer('192.0.2.2', network), false, 'the host\'s own address');
    assert.equal(isClusterPeer('127.0.0.1', network), false);
  });

  it('says why there is none: nothing running, or no shared network', () => {
    assert.throws(() => chooseClusterNetwork([]), /No cluster node is running/);
    assert.throws(() => chooseClusterNetwork([
      { service: 'waweb', networks: [net('a', '172.18.0.3', '172.18.0.1')] }, { service: 'wacore1', networks: [net('b', '172.19.0.3', '172.19.0.1')] },
    ]), /share no IPv4 bridge network.*waweb: a; wacore1: b/);
  });
});

/** POSTs from `localAddress`; resolves with the status, or the error when the connection was dropped. */
function post(url: string, body: string, localAddress: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', localAddress, headers: { 'content-type': 'application/json' } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    req.end(body);
  });
}

// Loopback stands in for the bridge: the receiver on 127.0.0.2 ("the gateway"), 127.0.0.0/8 the network.
const LOOPBACK_NET: ClusterNetwork = { name: 'lo', gateway: '127.0.0.2', cidr: '127.0.0.0/8' };

describe('callback receiver', () => {
  it('answers 200 to a POST from the network on its path; drops other peers unanswered and unrecorded', async () => {
    const got: string[] = [];
    const refused: string[] = [];
    const receiver = await startCallbackReceiver({
      host: LOOPBACK_NET.gateway, allow: (a) => isClusterPeer(a, LOOPBACK_NET), onCallback: (body) => got.push(body), onRefused: (a) => refused.push(a),
    });
    try {
      assert.match(receiver.url, /^http:\/\/127\.0\.0\.2:\d+\/waba-inspector\/[0-9a-f]{32}$/);
      assert.equal(await post(receiver.url, status('gBEG1', 'sent'), '127.0.0.3'), 200);
      assert.equal(await post(receiver.url.replace(/[0-9a-f]{32}$/, 'guess'), '{}', '127.0.0.3'), 404, 'another path');
      assert.equal(typeof await post(receiver.url, '{}', '127.0.0.2'), 'string', 'from the gateway address (the host): dropped');
      assert.equal(await post(receiver.url.replace('127.0.0.2', '127.0.0.1'), '{}', '127.0.0.1'), 'ECONNREFUSED', 'nothing listens on 127.0.0.1');
      assert.deepEqual(got, [status('gBEG1', 'sent')]);
      assert.deepEqual(refused, ['127.0.0.2']);
    } finally {
      await receiver.close();
    }
  });

  it('says so when the gateway is not an address of this machine (remote or VM engine)', async () => {
    const options: ReceiverOptions = { host: '192.0.2.123', allow: () => true, onCallback: () => undefined, onRefused: () => undefined };
    await assert.rejects(startCallbackReceiver(options), /192\.0\.2\.123 is not an address of this machine: Docker runs elsewhere/);
  });
});

const lockDir = mkdtempSync(join(tmpdir(), 'waba-inspector-locks-'));
after(() => rmSync(lockDir, { recursive: true, force: true }));

/** An inspector of one window (`pid`: its extension host); windows share the lock folder and the SecretStorage record. */
function inspectorWith(webapp: FakeAdminApi, memory: { record?: InspectorRecord } = {}, pid = process.pid) {
  const locks = new WindowLocks({ dir: lockDir, pid, windowOpened: new Date() });
  const what = 'The webhook inspector';
  const inspector = new WebhookInspector({
    api: () => webapp,
    network: async () => LOOPBACK_NET,
    listen: startCallbackReceiver,
    memory: { get: async () => memory.record, set: async (r) => { memory.record = r; } },
    lock: { claim: () => locks.acquire('/home/u/biz', 'webhookInspector', what), heldElsewhere: () => locks.heldElsewhere('/home/u/biz', 'webhookInspector', what) },
  });
  return { inspector, memory };
}

describe('WebhookInspector', () => {
  it('points webhooks.url at the receiver, records callbacks, and stopping puts the old URL back', async () => {
    const webapp = new FakeAdminApi();
    (webapp.settings.webhooks as Record<string, unknown>).url = 'https://bot:s3cret@hooks.example.com/wa';
    const { inspector, memory } = inspectorWith(webapp);
    const on = await inspector.start();
    assert.equal(on.state, 'on');
    assert.equal(webapp.get('webhooks.url'), on.url);
    assert.equal(on.previousUrl, 'https://bot:•••@hooks.example.com/wa', 'shown masked');
    assert.deepEqual(memory.record, { previousUrl: 'https://bot:s3cret@hooks.example.com/wa', url: on.url }, 'remembered before the cluster changed');

    assert.equal(await post(on.url!, status('gBEG7', 'delivered'), '127.0.0.5'), 200);
    assert.deepEqual(inspector.view().log.counts, { 'status delivered': 1 });

    const off = await inspector.stop();
    assert.equal(off.state, 'off');
    assert.equal(webapp.get('webhooks.url'), 'https://bot:s3cret@hooks.example.com/wa');
    assert.equal(memory.record, undefined);
    assert.match(off.message!, /webhooks\.url is https:\/\/bot:•••@hooks\.example\.com\/wa again/);
    assert.notEqual(await post(on.url!, status('gBEG8', 'read'), '127.0.0.5'), 200, 'the receiver is closed');
  });

  it('a webapp that refuses the receiver\'s URL: nothing changed, nothing listening, the field named', async () => {
    const webapp = new FakeAdminApi();
    webapp.httpsOnly = true;
    const { inspector, memory } = inspectorWith(webapp);
    await assert.rejects(inspector.start(), /webhooks\.url: the webapp refused it \(1009 .*must be https\)/);
    assert.equal(webapp.get('webhooks.url'), '');
    assert.equal(memory.record, undefined);
    assert.equal(inspector.view().state, 'off');
    assert.match(inspector.view().message!, /did not start/);
  });

  it('leaves a URL the user set meanwhile alone', async () => {
    const webapp = new FakeAdminApi();
    const { inspector } = inspectorWith(webapp);
    await inspector.start();
    (webapp.settings.webhooks as Record<string, unknown>).url = 'https://new.example.com/hook';
    const off = await inspector.stop();
    assert.equal(webapp.get('webhooks.url'), 'https://new.example.com/hook');
    assert.match(off.message!, /changed meanwhile .*left as it is/);
  });

  it('restores the URL a crashed window left pointing at its inspector', async () => {
    const webapp = new FakeAdminApi();
    const memory: { record?: InspectorRecord } = { record: { previousUrl: 'https://hooks.example.com/wa', url: 'http://127.0.0.2:1/waba-inspector/old' } };
    (webapp.settings.webhooks as Record<string, unknown>).url = memory.record!.url;
    const { inspector } = inspectorWith(webapp, memory);
    await inspector.load();
    assert.equal(inspector.view().leftover, 'https://hooks.example.com/wa');
    // Starting again keeps the user's URL as the one to put back, not the dead inspector's.
    const on = await inspector.start();
    assert.equal(on.previousUrl, 'https://hooks.example.com/wa');
    await inspector.stop();
    assert.equal(webapp.get('webhooks.url'), 'https://hooks.example.com/wa');

    memory.record = { previousUrl: '', url: 'http://127.0.0.2:1/waba-inspector/old' };
    (webapp.settings.webhooks as Record<string, unknown>).url = memory.record.url;
    await inspector.stop();
    assert.equal(webapp.get('webhooks.url'), '', 'Stop alone restores it too');
    assert.equal(memory.record, undefined);
  });

  it('a second window on the folder: refused with the window that holds it, its Stop leaves the first running; free again once the first stops', async () => {
    const webapp = new FakeAdminApi();
    (webapp.settings.webhooks as Record<string, unknown>).url = 'https://hooks.example.com/wa';
    const otherHost = spawn('sleep', ['60'], { stdio: 'ignore' }); // the first window's extension host
    try {
      const memory: { record?: InspectorRecord } = {};
      const first = inspectorWith(webapp, memory, otherHost.pid!).inspector;
      const second = inspectorWith(webapp, memory).inspector;
      const on = await first.start();
      await second.load();
      assert.equal(second.view().leftover, undefined, "the first window's record is not a leftover for the second");
      await assert.rejects(second.start(), new RegExp(`already running in another VS Code window on this folder \\(the window opened at .+, extension host pid ${otherHost.pid}, since .+\\)\\. Stop it there`));
      assert.match(second.view().message!, /^The inspector did not start: The webhook inspector is already running in another VS Code window/);
      await assert.rejects(second.stop(), /already running in another VS Code window/);
      assert.equal(webapp.get('webhooks.url'), on.url, 'the second window changed nothing');
      assert.equal(await post(on.url!, status('gBEG9', 'sent'), '127.0.0.5'), 200, "the first window's inspector still receives");

      await first.stop();
      const mine = await second.start();
      assert.equal(mine.previousUrl, 'https://hooks.example.com/wa');
      await second.stop();
      assert.equal(webapp.get('webhooks.url'), 'https://hooks.example.com/wa');
    } finally {
      otherHost.kill();
    }
  });

  it('a window that crashed while inspecting holds nothing: the next window takes over and restores the URL', async () => {
    const webapp = new FakeAdminApi();
    (webapp.settings.webhooks as Record<string, unknown>).url = 'https://hooks.example.com/wa';
    const crashedHost = spawn('sleep', ['60'], { stdio: 'ignore' });
    // What the crashed window left: its lock, its record, the cluster pointing at its receiver.
    new WindowLocks({ dir: lockDir, pid: crashedHost.pid!, windowOpened: new Date() }).acquire('/home/u/biz', 'webhookInspector', 'The webhook inspector');
    const memory: { record?: InspectorRecord } = { record: { previousUrl: 'https://hooks.example.com/wa', url: 'http://127.0.0.2:1/waba-inspector/gone' } };
    (webapp.settings.webhooks as Record<string, unknown>).url = memory.record!.url;
    crashedHost.kill('SIGKILL');
    await new Promise((resolve) => crashedHost.once('exit', resolve));
    const next = inspectorWith(webapp, memory).inspector;
    await next.load();
    assert.equal(next.view().leftover, 'https://hooks.example.com/wa');
    await next.stop();
    assert.equal(webapp.get('webhooks.url'), 'https://hooks.example.com/wa');
  });
});
