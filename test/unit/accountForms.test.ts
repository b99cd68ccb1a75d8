import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkRegistration, checkShards, checkVerificationCode, shardsAdvice } from '../../src/api/accountForms';
import { parseHealth } from '../../src/cluster/clusterHealth';
import { panelState } from '../../src/webview/panelState';

const cert = Buffer.from('{"vname":"Acme Test"}').toString('base64');

describe('registration and shards forms', () => {
  it('builds the POST /v1/account body, trimming what users paste', () => {
    assert.deepEqual(checkRegistration({ cc: ' 1 ', phone_number: '6315551000', method: 'sms', cert: `${cert.slice(0, 10)}\n${cert.slice(10)}`, pin: '' }),
      { ok: true, value: { cc: '1', phone_number: '6315551000', method: 'sms', cert } });
  });
  it('names every wrong field with what to do', () => {
    const r = checkRegistration({ cc: '+1', phone_number: '631-555', method: 'fax', cert: '', pin: '12' });
    assert.equal(r.ok, false);
    assert.deepEqual(Object.keys(r.ok ? {} : r.errors).sort(), ['cc', 'cert', 'method', 'phone_number', 'pin']);
    assert.match(r.ok ? '' : r.errors.cert, /base64/);
  });
  it('accepts the code with a dash, as the SMS shows it', () => {
    assert.deepEqual(checkVerificationCode('123-456'), { ok: true, value: { code: '123456' } });
    assert.equal(checkVerificationCode('12345').ok, false);
  });
  it('takes only 1, 2, 4, 8, 16 or 32 shards', () => {
    assert.equal(checkShards({ cc: '1', phone_number: '6315551000', shards: '2' }).ok, true);
    const three = checkShards({ cc: '1', phone_number: '6315551000', shards: 3 });
    assert.match(three.ok ? '' : three.errors.shards, /1, 2, 4, 8, 16, 32/);
  });
  it('warns when shards would lose an owner or have no standby', () => {
    assert.match(shardsAdvice(2, 1) ?? '', /1 shard\(s\) would have no owner/);
    assert.match(shardsAdvice(2, 2) ?? '', /No standby coreapp/);
    assert.equal(shardsAdvice(2, 3), undefined);
  });
});

describe('panel state', () => {
  it("shows the webapp's address on its engine's host, the user and the health rows", () => {
    const snapshot = { kind: 'ready' as const, project: 'biz', nodes: [
      { id: 'a', name: 'biz_waweb_1', service: 'waweb', state: 'running', status: 'Up', image: 'w', ports: [{ containerPort: 443, hostIp: '127.0.0.1', hostPort: 9090 }] },
      { id: 'b', name: 'biz_wacore1_1', service: 'wacore1', state: 'running', status: 'Up', image: 'c', ports: [] },
      { id: 'c', name: 'biz_wacore2_1', service: 'wacore2', state: 'exited', status: 'Exited', image: 'c', ports: [] },
    ] };
    const nodes = parseHealth({ health: { 'master1:aaaaaaaaaaaa': { gateway_status: 'unregistered', role: 'primary_master' } } });
    const state = panelState(snapshot, { kind: 'ok', nodes, summary: { level: 'warning', text: 'primary master1 · unregistered', problems: [] }, at: new Date(0) }, 'admin', '/home/me/biz', { host: 'host2', port: 9090 });
    assert.equal(state.webapp, 'https://host2:9090');
    assert.equal(state.runningCoreapps, 1);
    assert.deepEqual(state.health?.kind === 'ok' && state.health.rows, [{ key: 'master1:aaaaaaaaaaaa', role: 'primary_master', gatewayStatus: 'unregistered', error: undefined }]);
  });
});
