import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHealth, summarizeHealth } from '../../src/cluster/clusterHealth';
import type { ClusterSnapshot } from '../../src/cluster/clusterMonitor';
import type { HealthState } from '../../src/cluster/healthPoller';
import type { HealthBody } from '../../src/contract';
import { changedKeys, walkthroughKeys } from '../../src/walkthrough/walkthroughKeys';

const container = (service: string, state = 'running') => ({ id: `${service}0000000000000000`, name: `biz_${service}_1`, service, state, status: state, image: 'img', ports: [] });
const ready = (...nodes: ReturnType<typeof container>[]): ClusterSnapshot => ({ kind: 'ready', project: 'biz', nodes });
const seven = () => ['db', 'waweb', 'master1', 'master2', 'wacore1', 'wacore2', 'wacore3'].map((s) => container(s));
const health = (body: HealthBody): HealthState => {
  const nodes = parseHealth(body);
  return { kind: 'ok', nodes, summary: summarizeHealth(nodes), at: new Date() };
};
const notReady = { errors: [{ code: 1011, title: 'Service not ready', details: 'Wacore is not instantiated. Please check wacore log for details.' }] };
const node = (gateway_status: string, role: string) => ({ gateway_status, role }) as never;

/** The /v1/health answers of Meta's guide (the seed), step by step. */
const guide = {
  beforeRegistration: health({ health: { 'master1:b28d835cd579': notReady, 'master2:7fe542d305b4': node('unregistered', 'primary_master'), 'wacore1:35a5fabfc79d': notReady, 'wacore2:05e1a6d70665': notReady } }),
  registeredHa: health({ health: { 'master1:b28d835cd579': node('disconnected', 'secondary_master'), 'master2:7fe542d305b4': node('disconnected', 'primary_master'), 'wacore1:35a5fabfc79d': node('connected', 'coreapp'), 'wacore2:05e1a6d70665': node('disconnected', 'coreapp') } }),
  twoShards: health({ health: { 'master1:b28d835cd579': node('disconnected', 'secondary_master'), 'master2:7fe542d305b4': node('connected', 'primary_master'), 'wacore1:35a5fabfc79d': node('connected', 'coreapp'), 'wacore2:05e1a6d70665': node('connected', 'coreapp') } }),
  withStandby: health({ health: { 'master1:b28d835cd579': node('disconnected', 'secondary_master'), 'master2:7fe542d305b4': node('connected', 'primary_master'), 'wacore1:35a5fabfc79d': node('connected', 'coreapp'), 'wacore2:05e1a6d70665': node('connected', 'coreapp'), 'wacore3:23b50199bec2': node('disconnected', 'coreapp') } }),
};

describe('walkthrough context keys follow the guide', () => {
  it('nothing is done in a cluster folder whose cluster has no containers', () => {
    assert.deepEqual(walkthroughKeys({ snapshot: ready(), health: { kind: 'signedOut' }, codeRequested: false }), {
      'wabaCluster.clusterRunning': false, 'wabaCluster.allContainersUp': false, 'wabaCluster.connected': false,
      'wabaCluster.codeRequested': false, 'wabaCluster.registered': false, 'wabaCluster.shards': 0, 'wabaCluster.standbyCoreapps': 0,
    });
  });
  it('started: one running container; checked: all containers up', () => {
    const starting = walkthroughKeys({ snapshot: ready(container('db'), container('waweb', 'created')), health: { kind: 'signedOut' }, codeRequested: false });
    assert.equal(starting['wabaCluster.clusterRunning'], true);
    assert.equal(starting['wabaCluster.allContainersUp'], false);
    assert.equal(walkthroughKeys({ snapshot: ready(...seven()), health: { kind: 'signedOut' }, codeRequested: false })['wabaCluster.allContainersUp'], true);
    assert.equal(walkthroughKeys({ snapshot: { kind: 'dockerUnreachable', message: 'x' }, health: { kind: 'signedOut' }, codeRequested: false })['wabaCluster.clusterRunning'], false);
  });
  it('connected but unregistered (guide step 6): only "connected"; a requested code (step 7) completes "register"', () => {
    const keys = walkthroughKeys({ snapshot: ready(...seven()), health: guide.beforeRegistration, codeRequested: false });
    assert.equal(keys['wabaCluster.connected'], true);
    assert.equal(keys['wabaCluster.registered'], false);
    assert.equal(keys['wabaCluster.codeRequested'], false);
    assert.equal(walkthroughKeys({ snapshot: ready(...seven()), health: guide.beforeRegistration, codeRequested: true })['wabaCluster.codeRequested'], true);
    assert.equal(walkthroughKeys({ snapshot: ready(), health: { kind: 'failed', message: 'refused', at: new Date() }, codeRequested: false })['wabaCluster.connected'], false);
  });
  it('verified (step 8): registered, 1 shard in HA, the other coreapp a standby', () => {
    const keys = walkthroughKeys({ snapshot: ready(...seven()), health: guide.registeredHa, codeRequested: false });
    assert.equal(keys['wabaCluster.registered'], true);
    assert.equal(keys['wabaCluster.codeRequested'], true, 'registered elsewhere (e.g. Postman) also completes the register step');
    assert.equal(keys['wabaCluster.shards'], 1);
    assert.equal(keys['wabaCluster.standbyCoreapps'], 1);
  });
  it('2 shards (Multiconnect step 2), then the third coreapp as a standby (step 3)', () => {
    const two = walkthroughKeys({ snapshot: ready(...seven()), health: guide.twoShards, codeRequested: true });
    assert.equal(two['wabaCluster.shards'], 2);
    assert.equal(two['wabaCluster.standbyCoreapps'], 0);
    const standby = walkthroughKeys({ snapshot: ready(...seven()), health: guide.withStandby, codeRequested: true });
    assert.equal(standby['wabaCluster.shards'], 2);
    assert.equal(standby['wabaCluster.standbyCoreapps'], 1);
  });
  it('reports only the keys that changed', () => {
    const before = walkthroughKeys({ snapshot: ready(...seven()), health: guide.twoShards, codeRequested: true });
    const after = walkthroughKeys({ snapshot: ready(...seven()), health: guide.withStandby, codeRequested: true });
    assert.deepEqual(changedKeys(before, after), [['wabaCluster.standbyCoreapps', 1]]);
    assert.equal(changedKeys({}, after).length, Object.keys(after).length);
  });
});

describe('the walkthrough in package.json', () => {
  const root = join(__dirname, '..', '..');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  /** package.json's strings are %keys% of package.nls(.<lang>).json, as VS Code resolves them. */
  const nls = (lang?: string): Record<string, string> => JSON.parse(readFileSync(join(root, lang ? `package.nls.${lang}.json` : 'package.nls.json'), 'utf8'));
  const resolved = (value: string, strings: Record<string, string>): string => /^%(.+)%$/.exec(value)?.[1] !== undefined ? strings[value.slice(1, -1)] : value;
  const [walkthrough] = pkg.contributes.walkthroughs;
  const steps: Array<{ id: string; description: string; completionEvents?: string[]; media: { svg?: string; image?: string; altText: string } }> = walkthrough.steps;
  const keys = Object.keys(walkthroughKeys({ snapshot: ready(), health: { kind: 'signedOut' }, codeRequested: false }));
  const commands = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));

  it('has the guide\'s steps in order', () => {
    assert.deepEqual(steps.map((s) => s.id), ['createFolder', 'startCluster', 'checkContainers', 'connect', 'register', 'verify', 'setShards', 'addStandby', 'upgrade', 'uninstall', 'collectLogs']);
  });
  it('every step completes on an event (a command or a context key the extension sets), never on a click of its own button only', () => {
    for (const step of steps) {
      assert.ok(step.completionEvents?.length, `${step.id} has completionEvents`);
      for (const event of step.completionEvents!) {
        const m = /^(onCommand|onContext):(.+)$/.exec(event);
        assert.ok(m, `${step.id}: ${event}`);
        if (m[1] === 'onCommand') assert.ok(commands.has(m[2]), `${step.id}: ${m[2]} is a contributed command`);
        else for (const key of m[2].match(/wabaCluster\.\w+/g) ?? []) assert.ok(keys.includes(key) || key === 'wabaCluster.hasClusterFolder', `${step.id}: ${key} is set by the extension`);
      }
    }
  });
  it('each state is also checked when the walkthrough is shown: VS Code never checks a step whose context was already true when it registered the walkthrough', () => {
    for (const step of steps) {
      for (const event of step.completionEvents!.filter((e) => e.startsWith('onContext:') && !e.includes('activeEditor'))) {
        assert.ok(step.completionEvents!.includes(`${event} && activeEditor == gettingStartedPage`), `${step.id}: ${event} has its twin for the walkthrough page`);
      }
    }
  });
  for (const lang of [undefined, 'ar']) {
    it(`every step has a command button and an image that exists (${lang ?? 'en'})`, () => {
      const strings = nls(lang);
      for (const step of steps) {
        const description = resolved(step.description, strings);
        const [, command] = /\(command:([\w.]+)/.exec(description) ?? [];
        assert.ok(command && (commands.has(command) || command.endsWith('.focus')), `${step.id} links a command: ${description}`);
        const media = resolved(step.media.svg ?? step.media.image ?? '', strings);
        assert.ok(media && readFileSync(join(root, media), 'utf8').includes('<svg'), `${step.id}: ${media}`);
        assert.ok(resolved(step.media.altText, strings).length > 10, `${step.id} has alt text`);
      }
    });
  }
});
