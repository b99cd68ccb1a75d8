// Steps the benchmark takes on an emulated cluster, each timed: up until every node answers,
// registration, shards, memory per node, /v1/health round trips, failovers.
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { readPeerCertificate } from '../src/api/peerCertificate';
import { WabaClient as PinnedClient } from '../src/api/wabaClient';
import { certForVname } from '../emulator/src/logic/vname';
import { failoverBound } from '../src/contract';
import type { ComposeCluster } from '../emulator/test/support/compose-cluster';
import { WabaClient, waitFor } from '../emulator/test/support/waba-client';
import { Measure, sampled, single } from './results';

export const PASSWORD = 'Bench-Passw0rd-2026!';
export const PHONE = { cc: '1', phone_number: '6315551000' };
const CERT = certForVname('Bench Shop');
const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const seconds = (ms: number) => ms / 1000;

/** service -> "role/gateway_status" or the error code ("1011", "1014"). */
export type Summary = Record<string, string>;

export async function healthSummary(api: WabaClient): Promise<Summary> {
  const res = await api.call('GET', '/v1/health');
  if (res.status !== 200) throw new Error(`/v1/health answered ${res.status}`);
  const out: Summary = {};
  for (const [key, entry] of Object.entries(res.body.health as Record<string, { role?: string; gateway_status?: string; errors?: Array<{ code: number }> }>)) {
    out[key.split(':')[0]] = entry.errors ? String(entry.errors[0]?.code) : `${entry.role}/${entry.gateway_status}`;
  }
  return out;
}

export const primaryOf = (s: Summary) => Object.keys(s).find((k) => s[k].startsWith('primary_master/'));
export const connectedCoreapps = (s: Summary) => Object.keys(s).filter((k) => s[k] === 'coreapp/connected');
export const standbyCoreapps = (s: Summary) => Object.keys(s).filter((k) => s[k] === 'coreapp/disconnected');

/** Polls health every `everyMs` until `accept` holds; the summary and when (ms since the epoch). */
export async function healthUntil(api: WabaClient, what: string, accept: (s: Summary) => boolean, timeoutMs = 120_000, everyMs = 200): Promise<{ summary: Summary; at: number }> {
  return waitFor(what, timeoutMs, async () => {
    const summary = await healthSummary(api);
    return accept(summary) ? { summary, at: Date.now() } : undefined;
  }, everyMs);
}

/** Whether the MySQL server answers on 127.0.0.1:port with its greeting (the port proxy alone accepts and closes). */
function mysqlGreets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.once('data', () => done(true));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
    socket.setTimeout(1_000, () => done(false));
  });
}

export interface UpTimes { upReturned: number; dbReady: number; webappTls: number; firstLogin: number; allInHealth: number }

/**
 * `up -d` of `services` (all when empty) until /v1/health lists `nodes` nodes with one primary
 * master; every time from just before `up`. Logs in as admin on the way (changing the password).
 */
export async function upUntilHealthy(cluster: ComposeCluster, api: WabaClient, services: string[], nodes: number): Promise<UpTimes> {
  const t0 = Date.now();
  const since = () => Date.now() - t0;
  const db = (async () => { while (!(await mysqlGreets(33060))) await sleep(100); return since(); })();
  await cluster.up(services);
  const upReturned = since();
  await api.pinCertificate(180_000);
  const webappTls = since();
  await waitFor('the first login', 180_000, async () => ((await api.login('admin', 'secret', PASSWORD)).status === 200 ? true : undefined), 200);
  const firstLogin = since();
  await healthUntil(api, `${nodes} nodes in /v1/health`, (s) => Object.keys(s).length === nodes && primaryOf(s) !== undefined, 180_000);
  return { upReturned, dbReady: await db, webappTls, firstLogin, allInHealth: since() };
}

export function upParts(t: UpTimes): Record<string, Measure> {
  return {
    dbReady: single('database answers (MySQL greeting on 33060)', 's', seconds(t.dbReady)),
    webappTls: single('webapp answers TLS on 9090', 's', seconds(t.webappTls)),
    firstLogin: single('first login accepted', 's', seconds(t.firstLogin)),
  };
}

/** Registers the number (the code from the primary master's log) and sets the test intervals. */
export async function register(cluster: ComposeCluster, api: WabaClient, intervals: { heartbeat: number; unhealthy: number }): Promise<void> {
  const primary = primaryOf(await healthSummary(api));
  if (!primary) throw new Error('no primary master');
  const requested = await api.call('POST', '/v1/account', { body: { ...PHONE, method: 'sms', cert: CERT } });
  if (requested.status !== 202) throw new Error(`POST /v1/account answered ${requested.status}: ${JSON.stringify(requested.body)}`);
  const code = await waitFor('the registration code in the primary master\'s log', 20_000, async () => /Registration code for \+16315551000: (\d{6})/.exec(await cluster.logs(primary))?.[1]);
  const verified = await api.call('POST', '/v1/account/verify', { body: { code } });
  if (verified.status !== 201) throw new Error(`verify answered ${verified.status}`);
  await healthUntil(api, 'one coreapp connected', (s) => connectedCoreapps(s).length === 1, 60_000);
  await setIntervals(api, intervals);
}

export async function setIntervals(api: WabaClient, intervals: { heartbeat: number; unhealthy: number }): Promise<void> {
  const patch = await api.call('PATCH', '/v1/settings/application', { body: { heartbeat_interval: intervals.heartbeat, unhealthy_interval: intervals.unhealthy } });
  if (patch.status !== 200) throw new Error(`PATCH settings answered ${patch.status}: ${JSON.stringify(patch.body)}`);
}

/** POST /v1/account/shards until that many coreapps and the primary master are connected; the ms it took. */
export async function setShards(api: WabaClient, shards: number): Promise<number> {
  const t0 = Date.now();
  const r = await api.call('POST', '/v1/account/shards', { body: { ...PHONE, shards, cert: CERT } });
  if (r.status !== 201) throw new Error(`POST shards answered ${r.status}: ${JSON.stringify(r.body)}`);
  const { at } = await healthUntil(api, `${shards} shards connected`, (s) => connectedCoreapps(s).length === shards && s[primaryOf(s) ?? ''] === 'primary_master/connected', 180_000);
  return at - t0;
}

/** Resident memory of each container of the project (docker stats), MB, by service. */
export async function memoryByService(project: string): Promise<Record<string, number>> {
  const { stdout: ids } = await run('docker', ['ps', '-q', '--filter', `label=com.docker.compose.project=${project}`]);
  const { stdout } = await run('docker', ['stats', '--no-stream', '--format', '{{.Name}}\t{{.MemUsage}}', ...ids.split('\n').filter(Boolean)]);
  const units: Record<string, number> = { B: 1 / 2 ** 20, KiB: 1 / 1024, MiB: 1, GiB: 1024 };
  const out: Record<string, number> = {};
  for (const line of stdout.split('\n').filter(Boolean)) {
    const [name, usage] = line.split('\t');
    const m = /^([\d.]+)(B|KiB|MiB|GiB)/.exec(usage.trim());
    const service = /[_-]([a-z]+\d*)[_-]\d+$/.exec(name)?.[1] ?? name;
    if (m) out[service] = Number(m[1]) * units[m[2]];
  }
  return out;
}

export function memoryMeasures(memory: Record<string, number>, label: string): { coreapps: Measure; masters: Measure; webapp: Measure; db: Measure } {
  const of = (re: RegExp) => Object.entries(memory).filter(([s]) => re.test(s)).map(([, mb]) => mb);
  return {
    coreapps: sampled(`${label}: per coreapp`, 'MB', of(/^wacore\d+$/)),
    masters: sampled(`${label}: per master`, 'MB', of(/^master\d$/)),
    webapp: sampled(`${label}: webapp`, 'MB', of(/^waweb$/)),
    db: sampled(`${label}: database`, 'MB', of(/^db$/)),
  };
}

/** /v1/health through the extension's pinned-certificate client (kept alive, and new each call) and through `curl -k`. */
export async function healthRoundTrips(token: string, samples: number): Promise<{ pinned: number[]; pinnedFresh: number[]; curl: number[]; curlOwn: number[] }> {
  const address = { host: '127.0.0.1', port: 9090 };
  const pin = await readPeerCertificate(address.host, address.port);
  const client = new PinnedClient(address, pin);
  const out = { pinned: [] as number[], pinnedFresh: [] as number[], curl: [] as number[], curlOwn: [] as number[] };
  const curl = () => new Promise<number>((resolve, reject) => {
    const child = execFile('curl', ['-k', '-s', '-o', '/dev/null', '-w', '%{time_total}', '-H', '@-', 'https://127.0.0.1:9090/v1/health'], (error, stdout) => (error ? reject(error) : resolve(Number(stdout) * 1000)));
    child.stdin!.end(`Authorization: Bearer ${token}\n`);
  });
  try {
    for (let i = 0; i < 3; i++) await client.health(token); // warm: undici loaded, connection open
    for (let i = 0; i < samples; i++) {
      let t = performance.now();
      await client.health(token);
      out.pinned.push(performance.now() - t);
      t = performance.now();
      const fresh = new PinnedClient(address, pin);
      await fresh.health(token);
      out.pinnedFresh.push(performance.now() - t);
      fresh.dispose();
      t = performance.now();
      out.curlOwn.push(await curl());
      out.curl.push(performance.now() - t);
    }
  } finally {
    client.dispose();
  }
  return out;
}

export interface FailoverPhases { unreachable?: number; takenOver: number; logLine?: number; theory: number }

/**
 * Kills the connected coreapp `victim` (or the primary master) and polls health every 100 ms:
 * when the webapp reports it unreachable (1014), when its role is taken over; the taker's log line
 * (the primary master moving the shard, or the other master taking the lease), all from the kill.
 */
export async function failover(cluster: ComposeCluster, api: WabaClient, role: 'coreapp' | 'master', intervals: { heartbeat: number; unhealthy: number }): Promise<FailoverPhases> {
  const before = await healthSummary(api);
  const primary = primaryOf(before)!;
  const victim = role === 'master' ? primary : connectedCoreapps(before)[0];
  const other = primary === 'master1' ? 'master2' : 'master1';
  const shards = connectedCoreapps(before).length;
  if (!victim || (role === 'coreapp' && standbyCoreapps(before).length === 0)) throw new Error(`no ${role} to fail over: ${JSON.stringify(before)}`);
  const t0 = Date.now();
  await cluster.kill(victim);
  let unreachable: number | undefined;
  const { at } = await healthUntil(api, `${role} failover`, (s) => {
    if (unreachable === undefined && s[victim] === '1014') unreachable = Date.now() - t0;
    return role === 'master' ? s[other] === 'primary_master/connected' : connectedCoreapps(s).length === shards && s[victim] !== 'coreapp/connected';
  }, 10 * (intervals.unhealthy + intervals.heartbeat) * 1000 + 60_000, 100);
  const taker = role === 'master' ? other : primary;
  const line = role === 'master' ? /^(\S+) .*role changed: secondary_master -> primary_master/gm : new RegExp(`^(\\S+) .*failover: shard \\d+ moved from ${victim}:`, 'gm');
  const logged = [...(await cluster.logs(taker)).matchAll(line)].map((m) => Date.parse(m[1])).find((t) => t >= t0);
  const logLine = logged === undefined ? undefined : logged - t0;
  // Back as a standby (coreapp) or secondary master, for the next run.
  await run('docker', ['start', await cluster.containerId(victim)]);
  await healthUntil(api, `${victim} back`, (s) => s[victim] === (role === 'master' ? 'secondary_master/disconnected' : 'coreapp/disconnected'), 120_000);
  return { unreachable, takenOver: at - t0, logLine, theory: failoverBound(intervals) * 1000 };
}
