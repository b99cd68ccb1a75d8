// Contract test: the extension's own client (src/api/WabaClient, TLS pinned to the certificate the
// webapp presents, as the extension uses it) against a running emulated cluster. It walks the route
// table of the wire contract (src/contract/routes.ts): every route has a check here (CHECKS is keyed by
// route name, so a route added to the table without one does not compile, and the test fails), each
// answer goes through the route's own parser, and every route refuses the callers its access does not
// admit. The emulator's behaviour stays its own; this checks that what the extension parses and sends
// is what the cluster answers and takes.
//   node --import tsx --test test/integration/contract.test.ts
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { before, test } from 'node:test';
import { pinFromPem, type PinnedCertificate } from '../../src/api/certificatePin';
import { createSelfSignedCert } from '../../emulator/src/crypto/self-signed-cert';
import { certForVname } from '../../emulator/src/logic/vname';
import { readPeerCertificate } from '../../src/api/peerCertificate';
import { WabaClient } from '../../src/api/wabaClient';
import { WabaApiError } from '../../src/api/wabaError';
import {
  defaultApplicationSettings, ErrorCode, missingSettings, parseHealthBody, ROUTES, ShapeError, textMessage,
  type RequestOf, type ResponseOf, type RouteName,
} from '../../src/contract';
import { ComposeCluster, waitForPublishedPortsFree } from '../../emulator/test/support/compose-cluster';
import { waitFor } from '../../emulator/test/support/waba-client';

const VERSION = '2.53.1';
const PASSWORD = 'Contract-Pass-1!';
const USER = { username: 'contract-user', password: 'User-Pass-1!' };
const NUMBER = { cc: '1', phone_number: '6315550123' };
/** What a message meets until shard 0 has its owner. */
const NOT_YET: number[] = [ErrorCode.ServiceNotReady, ErrorCode.InternalError, ErrorCode.NotPrimaryCoreapp];

interface Ctx {
  cluster: ComposeCluster;
  api: WabaClient;
  pin: PinnedCertificate;
  /** Calls a route as the admin (or with `authorization`), its answer checked by the route's parser. */
  call<N extends RouteName>(name: N, body?: RequestOf<N>, authorization?: string): Promise<{ status: number; body: ResponseOf<N> }>;
  /** The call's refusal (fails when it succeeds). */
  refusal(name: RouteName, body?: unknown, authorization?: string): Promise<WabaApiError>;
  adminToken: string;
  userToken: string;
  primary: string;
  cert: string;
}

/** A text body (the webhook CA certificate, PEM), which the JSON client does not send. */
function sendText(pin: PinnedCertificate, method: string, path: string, authorization: string, text?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: 9090, method, path, ca: pin.pem, checkServerIdentity: () => undefined, headers: { authorization, ...(text ? { 'content-type': 'application/x-pem-file' } : {}) } }, (res) => {
      let out = '';
      res.on('data', (c: Buffer) => { out += c.toString('utf8'); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: out }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

/** One check per route of the table, run in this order (later ones build on earlier ones). */
const CHECKS: Record<RouteName, (c: Ctx) => Promise<void>> = {
  root: async (c) => {
    assert.deepEqual(ROUTES.root.parse((await c.api.call('GET', ROUTES.root.path)).body), { meta: { api_status: 'stable', version: `v${VERSION}` } });
  },
  login: async (c) => {
    // The first login must change the default password (1024), as the extension handles it.
    const refused = await c.api.login('admin', 'secret').catch((e) => e);
    assert.ok(refused instanceof WabaApiError && refused.code === ErrorCode.PasswordChangeRequired, String(refused));
    const { token, expiresAfter } = await c.api.login('admin', 'secret', PASSWORD);
    assert.match(expiresAfter, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$/);
    c.adminToken = token;
  },
  health: async (c) => {
    // Each node appears in health once it has started; on a loaded machine a master can be primary before wacore1 is up.
    const health = await waitFor('a primary master and all 3 nodes in health', 60_000, async () => {
      const body = (await c.call('health')).body;
      const nodes = Object.values(body.health);
      return nodes.some((n) => n.role === 'primary_master') && nodes.length >= 3 ? body : undefined;
    });
    assert.deepEqual(Object.keys(health.health).map((k) => k.split(':')[0]).sort(), ['master1', 'master2', 'wacore1']);
    assert.equal(health.meta?.version, `v${VERSION}`);
    c.primary = Object.entries(health.health).find(([, n]) => 'role' in n && n.role === 'primary_master')![0].split(':')[0];
  },
  support: async (c) => {
    const support = (await c.call('support')).body;
    assert.deepEqual(support.map((n) => n.key.split(':')[0]).sort(), ['master1', 'master2', 'wacore1']);
    for (const node of support) assert.match(node.body.expire_timestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  },
  settings: async (c) => {
    const settings = (await c.call('settings')).body.settings.application;
    assert.deepEqual(missingSettings(settings), []);
    assert.deepEqual(settings, defaultApplicationSettings());
  },
  patchSettings: async (c) => {
    await c.call('patchSettings', { webhooks: { url: 'https://hooks.example.test/in' }, heartbeat_interval: 2 });
    const patched = (await c.call('settings')).body.settings.application;
    assert.equal(patched.webhooks?.url, 'https://hooks.example.test/in');
    assert.equal(patched.heartbeat_interval, 2);
    const invalid = await c.refusal('patchSettings', { heartbeat_interval: 0 });
    assert.equal(invalid.code, ErrorCode.InvalidParameter);
    assert.match(invalid.message, /heartbeat_interval: must be a whole number of at least 1/);
  },
  backup: async (c) => {
    assert.equal(typeof (await c.call('backup', { password: 'Backup-Pass-1!' })).body.settings.data, 'string');
  },
  restore: async (c) => {
    const { data } = (await c.call('backup', { password: 'Backup-Pass-1!' })).body.settings;
    await c.call('patchSettings', { heartbeat_interval: 7 });
    await c.call('restore', { password: 'Backup-Pass-1!', data });
    assert.equal((await c.call('settings')).body.settings.application.heartbeat_interval, 2, 'restore brings the backed-up settings back');
  },
  resetSettings: async (c) => {
    await c.call('resetSettings');
    assert.deepEqual((await c.call('settings')).body.settings.application, defaultApplicationSettings());
    // Quick heartbeats for the registration below (a shard is assigned at the next round).
    await c.call('patchSettings', { heartbeat_interval: 1, unhealthy_interval: 3 });
  },
  statsApp: async (c) => {
    assert.ok((await c.call('statsApp')).body.some((n) => n.key.startsWith('wacore1:')));
  },
  statsDb: async (c) => {
    assert.equal((await c.call('statsDb')).body.filter((n) => n.families.db_messages).length, 1);
  },
  metrics: async (c) => {
    assert.ok((await c.call('metrics')).body.metrics.web_uptime);
  },
  webhookCa: async (c) => {
    const noCa = await c.refusal('webhookCa');
    assert.ok(noCa.status === 404 && noCa.code === ErrorCode.NotFound, String(noCa));
  },
  uploadWebhookCa: async (c) => {
    const pem = createSelfSignedCert('hooks-ca', ['hooks.example.test'], []).certPem;
    const uploaded = await sendText(c.pin, ROUTES.uploadWebhookCa.method, ROUTES.uploadWebhookCa.path, `Bearer ${c.adminToken}`, pem);
    assert.equal(uploaded.status, 201, uploaded.text);
    const back = await sendText(c.pin, ROUTES.webhookCa.method, ROUTES.webhookCa.path, `Bearer ${c.adminToken}`);
    assert.equal(back.status, 200);
    assert.equal(pinFromPem(back.text).fingerprint, pinFromPem(pem).fingerprint);
  },
  deleteWebhookCa: async (c) => {
    await c.call('deleteWebhookCa');
    assert.equal((await c.refusal('webhookCa')).status, 404);
  },
  createUser: async (c) => {
    assert.deepEqual((await c.call('createUser', USER)).body.users.map((u) => u.username), [USER.username]);
    c.userToken = (await c.api.login(USER.username, USER.password)).token;
    assert.ok((await c.call('support', undefined, `Bearer ${c.userToken}`)).body.length >= 3, 'a user may read support');
  },
  logout: async (c) => {
    await c.call('logout', undefined, `Bearer ${c.userToken}`);
    assert.equal((await c.refusal('support', undefined, `Bearer ${c.userToken}`)).status, 401, 'a token is refused after logout');
    c.userToken = (await c.api.login(USER.username, USER.password)).token;
  },
  requestCode: async (c) => {
    c.cert = certForVname('Contract Test');
    const requested = await c.call('requestCode', { ...NUMBER, method: 'sms', cert: c.cert });
    assert.equal(requested.status, 202);
    assert.deepEqual(requested.body.account?.map((a) => a.vname), ['Contract Test']);
  },
  verify: async (c) => {
    const codeLine = new RegExp(`Registration code for \\+${NUMBER.cc}${NUMBER.phone_number}: (\\d{6})`);
    const code = await waitFor('registration code in the primary master log', 10_000, async () => codeLine.exec(await c.cluster.logs(c.primary))?.[1]);
    assert.equal((await c.call('verify', { code })).status, 201);
  },
  setShards: async (c) => {
    assert.equal((await c.call('setShards', { ...NUMBER, shards: 1, cert: c.cert })).status, 201);
  },
  shards: async (c) => {
    assert.equal((await c.call('shards')).body.account.shards, 1);
  },
  sendMessage: async (c) => {
    // Shard 0 gets its owner at the next heartbeat round after registration.
    const sent = await waitFor('a message accepted', 30_000, async () => {
      try {
        return (await c.call('sendMessage', textMessage('16315551234', 'contract test'), `Bearer ${c.userToken}`)).body;
      } catch (e) {
        if (e instanceof WabaApiError && NOT_YET.includes(e.code ?? 0)) return undefined;
        throw e;
      }
    });
    assert.match(sent.messages[0].id, /^[A-Za-z0-9+/=_-]{8,}$/);
  },
};

/** Every route refuses a caller its access does not admit: 401 without credentials, 403 (1005) for a user on an admin route. */
async function checkAccess(c: Ctx): Promise<void> {
  for (const [name, r] of Object.entries(ROUTES) as Array<[RouteName, (typeof ROUTES)[RouteName]]>) {
    if (r.access.who === 'none') continue;
    const anonymous = await c.refusal(name, undefined, '');
    assert.equal(anonymous.status, 401, `${r.method} ${r.path} without credentials`);
    if (r.access.who === 'admin') {
      const user = await c.refusal(name, undefined, `Bearer ${c.userToken}`);
      assert.ok(user.status === 403 && user.code === ErrorCode.AccessDenied, `${r.method} ${r.path} as a user: ${user.message}`);
    }
  }
}

// Waiting for the machine-wide cluster ports lock (other runs' clusters) is not part of a test's time.
before(() => waitForPublishedPortsFree(), { timeout: 35 * 60_000 });
test('the extension\'s client and the contract\'s parsers fit every route an emulated cluster answers', { timeout: 10 * 60_000 }, async () => {
  assert.deepEqual(Object.keys(CHECKS).sort(), Object.keys(ROUTES).sort(), 'every route of the table has a contract check');
  await waitForPublishedPortsFree();
  const cluster = await ComposeCluster.create('mysql', VERSION, 'contract');
  let client: WabaClient | undefined;
  try {
    await cluster.up(['db', 'waweb', 'master1', 'master2', 'wacore1']);
    const pin = await waitFor('webapp certificate', 60_000, () => readPeerCertificate('127.0.0.1', 9090));
    client = new WabaClient({ host: '127.0.0.1', port: 9090 }, pin);
    const api = client;
    await waitFor('webapp answering', 60_000, async () => {
      try {
        await api.login('admin', 'secret');
        return undefined;
      } catch (e) {
        return e instanceof WabaApiError && e.status < 500 ? true : undefined;
      }
    });
    const c: Ctx = {
      cluster, api, pin, adminToken: '', userToken: '', primary: '', cert: '',
      async call(name, body, authorization) {
        const r = ROUTES[name];
        const answer = await api.call<unknown>(r.method, r.path, { authorization: authorization ?? `Bearer ${c.adminToken}`, body });
        return { status: answer.status, body: r.parse(answer.body) as ResponseOf<typeof name> };
      },
      async refusal(name, body, authorization) {
        const r = ROUTES[name];
        const e = await api.call(r.method, r.path, { authorization: authorization ?? `Bearer ${c.adminToken}`, body }).then(() => undefined, (err: unknown) => err);
        assert.ok(e instanceof WabaApiError, `${r.method} ${r.path} was expected to be refused: ${String(e)}`);
        return e;
      },
    };
    for (const [name, check] of Object.entries(CHECKS)) {
      await check(c).catch((e: Error) => { throw new Error(`${name} (${ROUTES[name as RouteName].method} ${ROUTES[name as RouteName].path}): ${e.message}`, { cause: e }); });
    }
    await checkAccess(c);

    // A body that does not fit is named by the parsers, not silently cast.
    assert.throws(() => parseHealthBody({ health: { 'wacore1:x': { gateway_status: 'up' } } }), ShapeError);
    // Pinned to another certificate, the same client refuses the webapp.
    const other = new WabaClient({ host: '127.0.0.1', port: 9090 }, pinFromPem(createSelfSignedCert('waweb', ['localhost'], ['127.0.0.1']).certPem));
    try {
      // The chain check fails first (the webapp's certificate is not the pinned one), before the pin check.
      await assert.rejects(other.call('GET', ROUTES.health.path, { authorization: `Bearer ${c.adminToken}` }), /self-signed certificate|different certificate/);
    } finally {
      other.dispose();
    }
  } finally {
    client?.dispose();
    await cluster.destroy();
  }
});
