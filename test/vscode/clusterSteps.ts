// Steps of Meta's guide that several emulated-cluster suites take through the extension
// (bundled into each suite by esbuild). Each step asserts what a user would see.
import * as assert from 'node:assert/strict';
import { connect } from 'node:tls';
import Docker from 'dockerode';
import * as vscode from 'vscode';
import { certForVname } from '../../emulator/src/logic/vname';
import { sleep, type WabaClusterApi } from './support';

export const PHONE = { cc: '1', phone_number: '6315551000' };
export const NEW_PASSWORD = 'Cluster-Test-2026!';

/** Reads `read()` until `accept` holds; fails with the last value after `timeoutMs`. */
export async function until<T>(what: string, read: () => T | Promise<T>, accept: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await sleep(500);
  }
}

/** The webapp's certificate fingerprint, read the way a user would read it off the browser. */
export async function webappFingerprint(timeoutMs: number): Promise<string> {
  try {
    return (await until('the webapp to answer TLS on 127.0.0.1:9090', presentedFingerprint, (fp) => fp !== undefined, timeoutMs))!;
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${await webappState()}`);
  }
}

/** The webapp container's state and last log lines: why it did not answer, without a rerun. */
async function webappState(): Promise<string> {
  const docker = new Docker();
  const [web] = await docker.listContainers({ all: true, filters: { label: ['com.docker.compose.service=waweb'] } }).catch(() => []);
  if (!web) return 'no waweb container';
  const log = (await docker.getContainer(web.Id).logs({ stdout: true, stderr: true, tail: 25 }).catch((e: Error) => Buffer.from(e.message))).toString('utf8');
  return `waweb ${web.State} (${web.Status}); ports ${JSON.stringify(web.Ports)}; last lines:\n${log.replace(/[\x00-\x08\x0e-\x1f]/g, '')}`;
}

function presentedFingerprint(): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port: 9090, rejectUnauthorized: false }, () => { resolve(s.getPeerCertificate().fingerprint256); s.end(); });
    s.on('error', () => resolve(undefined));
  });
}

/** Gateway statuses of the nodes with `role`, as the extension's health shows them. */
export const gateway = (api: WabaClusterApi, role: string) => () => (api.health().nodes ?? []).filter((n) => n.role === role).map((n) => n.gatewayStatus);

/** "WABA: Connect to Webapp" with the first login of admin/secret (new password chosen). */
export async function connectAsAdmin(fingerprint: string, timeoutMs = 60_000): Promise<void> {
  const connected = await until('login (the webapp may still be starting)',
    () => vscode.commands.executeCommand('wabaCluster.connect', { username: 'admin', password: 'secret', newPassword: NEW_PASSWORD, trustFingerprint: fingerprint }), (ok) => ok === true, timeoutMs);
  assert.equal(connected, true);
}

/** Registers PHONE from the cluster panel: request the code, read it from the primary master's log, verify. */
export async function registerFromPanel(api: WabaClusterApi, project: string, vname = 'Acme Test Shop'): Promise<void> {
  const requested = await api.panelRequest('requestCode', { ...PHONE, method: 'sms', cert: certForVname(vname) });
  assert.equal(requested.ok, true, requested.error);
  assert.deepEqual(requested.result, { status: 202, vname });
  const primary = (api.health().nodes ?? []).find((n) => n.role === 'primary_master')!.key.split(':')[0];
  const docker = new Docker();
  const [master] = await docker.listContainers({ filters: { label: [`com.docker.compose.project=${project}`, `com.docker.compose.service=${primary}`] } });
  // Docker's log copier can write the line a moment after the master has answered.
  const loggedCode = async () => /Registration code for \+16315551000: (\d{6})/.exec((await docker.getContainer(master.Id).logs({ stdout: true, stderr: true })).toString('utf8'))?.[1];
  const code = await until('the primary master to log the registration code', loggedCode, (c) => c !== undefined, 15_000);
  const verified = await api.panelRequest('verify', { code });
  assert.equal(verified.ok, true, verified.error);
}

/**
 * The cluster the earlier suites of the run left (or a fresh one) made running, connected, registered
 * and serving 2 shards, as a user gets there; returns the webapp's certificate fingerprint.
 */
export async function twoShardCluster(api: WabaClusterApi, project: string): Promise<string> {
  assert.equal(await vscode.commands.executeCommand('wabaCluster.up'), true);
  const fingerprint = await webappFingerprint(90_000);
  await connectAsAdmin(fingerprint, 90_000);
  await until('health', () => api.health().kind, (k) => k === 'ok', 60_000);
  if (gateway(api, 'primary_master')().includes('unregistered')) await registerFromPanel(api, project);
  await until('registered', gateway(api, 'primary_master'), (g) => g.length === 1 && g[0] !== 'unregistered', 60_000);
  // 1017 says no master holds the lease at this moment (e.g. just after the database restarted) and to retry, as a user would.
  const shards = await until('shards set', () => api.panelRequest('setShards', { ...PHONE, shards: 2, confirmed: true }), (r) => r.ok || !/\b1017\b/.test(r.error ?? ''), 60_000);
  assert.equal(shards.ok, true, shards.error);
  const connected = () => (api.health().nodes ?? []).filter((n) => n.role === 'coreapp' && n.gatewayStatus === 'connected').length;
  await until('2 coreapps connected', connected, (n) => n === 2, 90_000);
  return fingerprint;
}
