// The cluster session with fakes of its ports: a fake webapp (login, tokens, certificate, API key),
// VS Code's storage faked under the real ConnectionStore, a scripted prompter and a manual clock.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { Memento, SecretStorage } from 'vscode';
import type { PinnedCertificate } from '../../src/api/certificatePin';
import { ConnectionStore } from '../../src/api/connectionStore';
import type { WabaAddress } from '../../src/api/wabaClient';
import { HealthPoller } from '../../src/cluster/healthPoller';
import { ClusterSession } from '../../src/session/clusterSession';
import type { SessionPrompter } from '../../src/workflows/sessionPrompter';
import { FakeClock, settle } from './fakes/fakeClock';
import { FakeWebapp } from './fakes/fakeWebapp';

class FakeMemento {
  readonly values = new Map<string, unknown>();
  get<T>(key: string, fallback?: T): T | undefined { return (this.values.has(key) ? this.values.get(key) : fallback) as T | undefined; }
  async update(key: string, value: unknown): Promise<void> { this.values.set(key, value); }
  keys(): readonly string[] { return [...this.values.keys()]; }
}

class FakeSecrets {
  readonly values = new Map<string, string>();
  async get(key: string): Promise<string | undefined> { return this.values.get(key); }
  async store(key: string, value: string): Promise<void> { this.values.set(key, value); }
  async delete(key: string): Promise<void> { this.values.delete(key); }
}

/** Answers the session's questions from a script and records each question asked. */
class ScriptedPrompter implements SessionPrompter {
  readonly asked: string[] = [];
  trust = true;
  usernames = ['admin'];
  passwords: string[] = [];
  newPasswords: string[] = [];
  async trustCertificate(_a: WabaAddress, presented: PinnedCertificate, replacing?: PinnedCertificate): Promise<boolean> {
    this.asked.push(`trust ${presented.fingerprint}${replacing ? ` replacing ${replacing.fingerprint}` : ''}`);
    return this.trust;
  }
  async username(): Promise<string | undefined> { this.asked.push('username'); return this.usernames.shift(); }
  async password(username: string, _b: string, stale: boolean): Promise<string | undefined> { this.asked.push(`password ${username}${stale ? ' (stale)' : ''}`); return this.passwords.shift(); }
  async newPassword(username: string): Promise<string | undefined> { this.asked.push(`new password ${username}`); return this.newPasswords.shift(); }
}

/** Where the webapp is: the test moves it, as the cluster monitor would report. */
class FakeLocator {
  address: WabaAddress | undefined;
  private readonly listeners = new Set<(a: WabaAddress | undefined) => void>();
  async locate() { return this.address; }
  onDidChange(listener: (a: WabaAddress | undefined) => void) { this.listeners.add(listener); return { dispose: () => this.listeners.delete(listener) }; }
  move(address: WabaAddress | undefined) { this.address = address; for (const l of this.listeners) l(address); }
}

const NEW_PASSWORD = 'Cluster-Test-2026!';

describe('ClusterSession', () => {
  let webapp: FakeWebapp;
  let memento: FakeMemento;
  let secrets: FakeSecrets;
  let locator: FakeLocator;
  let clock: FakeClock;
  let health: HealthPoller;
  let logged: string[];
  let session: ClusterSession;
  let prompter: ScriptedPrompter;

  /** Read afresh (assert.equal narrows a property it has checked once). */
  const stateKind = () => health.state.kind;

  const newSession = () => new ClusterSession({
    store: new ConnectionStore(memento as unknown as Memento, secrets as unknown as SecretStorage),
    locator, health,
    readCertificate: async () => webapp.certificate,
    openClient: (_address, pin) => webapp.client(pin),
    log: { info: (m) => logged.push(`info ${m}`), warn: (m) => logged.push(`warn ${m}`) },
  });

  /** A first connect as the guide's first login: trust, admin/secret, new password. */
  const firstConnect = async () => {
    prompter.passwords = ['secret'];
    prompter.newPasswords = [NEW_PASSWORD];
    assert.equal(await session.connect(prompter), true);
    prompter.asked.length = 0;
  };

  beforeEach(() => {
    webapp = new FakeWebapp();
    memento = new FakeMemento();
    secrets = new FakeSecrets();
    locator = new FakeLocator();
    locator.address = webapp.address;
    clock = new FakeClock();
    health = new HealthPoller({ intervalMs: 5_000, timers: clock });
    logged = [];
    prompter = new ScriptedPrompter();
    session = newSession();
  });

  it('first connect: trusts the certificate, changes the default password, keeps secrets only in SecretStorage, polls health', async () => {
    prompter.passwords = ['secret'];
    prompter.newPasswords = [NEW_PASSWORD];
    assert.equal(await session.connect(prompter), true);
    assert.deepEqual(prompter.asked, ['trust FP:one', 'username', 'password admin', 'new password admin']);
    assert.equal(webapp.passwords.get('admin'), NEW_PASSWORD);
    await settle();
    assert.equal(health.state.kind, 'ok');
    assert.equal(session.current?.username, 'admin');
    assert.ok(!JSON.stringify([...memento.values]).includes(NEW_PASSWORD), 'no password in global state');
    assert.ok([...secrets.values.values()].some((v) => v.includes(NEW_PASSWORD)), 'the password is in SecretStorage');
    assert.equal(webapp.logins.filter((l) => l.ok).length, 1, 'the login of the connect is reused by the first health poll');
  });

  it('refuses a new password that breaks the rules, says which rule, and stores nothing', async () => {
    prompter.passwords = ['secret'];
    prompter.newPasswords = ['short'];
    await assert.rejects(session.connect(prompter), /The new password must be 8 to 64 characters long/);
    assert.equal(secrets.values.size, 0);
    assert.equal(health.state.kind, 'signedOut');
  });

  it('a declined certificate connects nothing and remembers nothing', async () => {
    prompter.trust = false;
    assert.equal(await session.connect(prompter), false);
    assert.equal(memento.values.size, 0);
    assert.equal(webapp.logins.length, 0, 'no credential was sent to an untrusted webapp');
  });

  it('logs in again when the webapp refuses the token (401), and health goes on', async () => {
    await firstConnect();
    await settle();
    webapp.revokeTokens();
    await clock.advance(5_000);
    assert.equal(health.state.kind, 'ok', 'the refused token did not surface as a failure');
    assert.deepEqual(webapp.logins.map((l) => l.ok), [false, true, true], 'the first login (1024), its retry with the new password, one new login');
  });

  it('re-asks a stale stored password and stores the new one', async () => {
    await firstConnect();
    await session.disconnect({ byUser: true });
    webapp.passwords.set('admin', 'Changed-Elsewhere-1');
    prompter.passwords = ['Changed-Elsewhere-1'];
    assert.equal(await session.connect(prompter), true);
    assert.deepEqual(prompter.asked, ['password admin (stale)']);
    assert.ok([...secrets.values.values()].some((v) => v.includes('Changed-Elsewhere-1')));
  });

  it('a re-created cluster: shows the new certificate beside the old one, then logs in with the default password again', async () => {
    await firstConnect();
    await session.disconnect({ byUser: true });
    webapp.recreate();
    prompter.passwords = ['secret'];
    prompter.newPasswords = [NEW_PASSWORD];
    assert.equal(await session.connect(prompter), true);
    assert.deepEqual(prompter.asked, [`trust ${webapp.certificate.fingerprint} replacing FP:one`, 'password admin (stale)', 'new password admin']);
  });

  it('keeps the old certificate when the user does not trust the new one', async () => {
    await firstConnect();
    await session.disconnect({ byUser: true });
    webapp.recreate();
    prompter.trust = false;
    assert.equal(await session.connect(prompter), false);
    assert.match(JSON.stringify([...memento.values]), /FP:one/);
  });

  it('reconnects silently when the webapp comes back at a trusted address, and leaves it alone after Disconnect', async () => {
    await firstConnect();
    locator.move(undefined);
    await settle();
    assert.equal(health.state.kind, 'signedOut');
    locator.move(webapp.address);
    await settle();
    assert.equal(health.state.kind, 'ok', 'back without a prompt');
    assert.deepEqual(prompter.asked, []);
    await session.disconnect({ byUser: true });
    locator.move(undefined);
    locator.move(webapp.address);
    await settle();
    assert.equal(stateKind(), 'signedOut', 'Disconnect stays disconnected');
  });

  it('while polling, a re-created cluster signs out with the reason and sends no more logins', async () => {
    await firstConnect();
    await settle();
    webapp.recreate();
    await clock.advance(5_000);
    assert.equal(health.state.kind, 'signedOut');
    assert.match(health.state.kind === 'signedOut' ? health.state.reason ?? '' : '', /presents a new certificate .*connect again/);
    const requests = webapp.requests;
    locator.move(undefined);
    locator.move(webapp.address);
    await clock.advance(30_000);
    assert.equal(webapp.requests, requests, 'no silent reconnect with the old pin and password');
  });

  it('while polling, a password changed elsewhere signs out with the reason instead of failing logins every poll', async () => {
    await firstConnect();
    await settle();
    webapp.passwords.set('admin', 'Changed-Elsewhere-1');
    webapp.revokeTokens();
    const before = webapp.logins.length;
    await clock.advance(5_000);
    assert.match(health.state.kind === 'signedOut' ? health.state.reason ?? '' : health.state.kind, /stored password of admin no longer works/);
    await clock.advance(60_000);
    assert.equal(webapp.logins.length - before, 1, 'one refused login, not one per poll');
  });

  it('polls health with the API key when one is stored, and falls back to the login when the webapp refuses it', async () => {
    await firstConnect();
    webapp.apiKey = 'key-0123456789abcdef';
    await assert.rejects(session.setApiKey('short'), /12 to 128 characters/);
    await session.setApiKey('key-0123456789abcdef');
    await settle();
    assert.equal(webapp.healthAuth.at(-1), 'Apikey key-0123456789abcdef');
    assert.equal(health.state.kind, 'ok');
    assert.ok(!JSON.stringify([...memento.values]).includes('key-0123456789abcdef'), 'the key is not in global state');

    webapp.apiKey = 'another-key-0000000';
    await clock.advance(5_000);
    assert.equal(health.state.kind, 'ok', 'a refused key falls back to the bearer token');
    assert.match(webapp.healthAuth.at(-1)!, /^Bearer /);
    assert.ok(logged.some((l) => /warn The webapp refused the stored API key/.test(l)));
  });

  it("a webapp on an ssh host's loopback: reached through the forward's local end, remembered by the remote address, the forward ended with the connection", async () => {
    const remote: WabaAddress = { host: 'host2', port: 9090, forward: { ssh: { host: 'host2', user: 'ops' }, remoteHost: '127.0.0.1', remotePort: 9090 } };
    let nextPort = 41000;
    const forwards = { opened: [] as number[], released: 0 };
    const dialled: string[] = [];
    const behindSsh = Object.assign(locator, {
      reach: async () => { forwards.opened.push(++nextPort); return { host: '127.0.0.1', port: nextPort }; },
      release: () => { forwards.released++; },
    });
    behindSsh.address = remote;
    session = new ClusterSession({
      store: new ConnectionStore(memento as unknown as Memento, secrets as unknown as SecretStorage),
      locator: behindSsh, health,
      readCertificate: async (a) => { dialled.push(`certificate ${a.dial?.host}:${a.dial?.port}`); return webapp.certificate; },
      openClient: (a, pin) => { dialled.push(`client ${a.dial?.host}:${a.dial?.port}`); return webapp.client(pin); },
      log: { info: (m) => logged.push(`info ${m}`), warn: (m) => logged.push(`warn ${m}`) },
    });
    await firstConnect();
    assert.deepEqual(dialled, ['certificate 127.0.0.1:41001', 'client 127.0.0.1:41001']);
    assert.deepEqual(Object.keys(memento.values.get('wabaCluster.trustedCertificates') as object), ['host2:9090'], 'the pin is per the remote address');
    assert.deepEqual([...secrets.values.keys()], ['wabaCluster.credentials/host2:9090']);
    assert.equal(session.webappLine, 'Webapp https://host2:9090 through a forward over ssh (ssh://ops@host2: 127.0.0.1:9090 on that host, 127.0.0.1:41001 on this machine)');
    assert.equal(forwards.released, 0);
    await session.disconnect({ byUser: true });
    assert.equal(forwards.released, 1, 'Disconnect ends the forward');
    assert.equal(session.webappLine, undefined);
    // A new connect opens a new forward (another local port) and finds the pin and the password without a prompt.
    assert.equal(await session.connect(prompter), true);
    assert.deepEqual(prompter.asked, []);
    assert.equal(dialled.at(-1), 'client 127.0.0.1:41002');
    await settle();
    assert.equal(health.state.kind, 'ok');
  });

  it('a webapp on the loopback of a tcp:// engine: Connect says why it cannot be reached and opens nothing', async () => {
    locator.address = { host: 'vm1', port: 9090, problem: 'The webapp is not reachable from here: …' };
    await assert.rejects(session.connect(prompter), /^Error: The webapp is not reachable from here: …$/);
    assert.deepEqual(prompter.asked, []);
    assert.equal(memento.values.size, 0);
  });

  it('forgets the certificate, the credentials and the API key of the current webapp', async () => {
    await firstConnect();
    await session.setApiKey('key-0123456789abcdef');
    await session.forgetCurrent();
    assert.equal(secrets.values.size, 0);
    assert.doesNotMatch(JSON.stringify([...memento.values]), /FP:one/);
    assert.equal(health.state.kind, 'signedOut');
  });
});
