// Gathers what Diagnose Cluster judges: `docker inspect` of every container of the project, the
// webapp's health, support, settings and shards (when logged in), a login to the database with
// db.env's credentials from inside the db container, and the webhook tried from a coreapp (as
// WADebug does). Each source that fails becomes a fact "not known, because …", never an exception.
import { parseHealth } from '../cluster/clusterHealth';
import type { PublishedPort } from '../docker/containerNode';
import { parseSettingsBody, parseSupportBody, type HealthBody } from '../contract';
import type { ContainerInspect } from '../docker/dockerClient';
import { t } from '../l10n';
import { imageVersion, known, nodeKindOf, unknown, type ClusterFacts, type ContainerFacts, type DbProbe, type Fact, type WebhookProbe } from './facts';
import { notConnected, noClusterFolder } from '../notReady';

export interface GatherPorts {
  folder: { path: string; project: string; apiVersion?: string; apiVersionFrom?: string; dbEngine?: string } | undefined;
  docker: {
    listProjectContainers(project: string): Promise<Array<{ id: string }>>;
    inspect(id: string): Promise<ContainerInspect>;
    exec(id: string, cmd: string[], options?: { env?: string[]; timeoutMs?: number }): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  };
  /** A GET of the logged-in session (undefined: not connected). */
  api: { get(path: string): Promise<unknown> } | undefined;
  drift: string | undefined;
  failoverExpectationSeconds: number;
  now?(): Date;
}

/** The facts, and the raw answers they came from (the support bundle keeps those). */
export interface Gathered {
  facts: ClusterFacts;
  inspects: ContainerInspect[];
  answers: Record<'health' | 'support' | 'settings', unknown>;
}

export async function gatherFacts(ports: GatherPorts): Promise<Gathered> {
  const at = (ports.now?.() ?? new Date()).toISOString();
  const [inspects, answers] = await Promise.all([inspectAll(ports), askWebapp(ports)]);
  const containers: Fact<ContainerFacts[]> = inspects.ok ? known(inspects.value.map(containerFacts)) : inspects;
  const list = containers.ok ? containers.value : [];
  const settings = answers.settings.ok ? known(parseSettingsBody(answers.settings.value).settings.application) : answers.settings;
  const webhookUrl = settings.ok ? settings.value.webhooks?.url ?? '' : '';
  const [db, webhook] = await Promise.all([probeDatabase(ports, list), webhookUrl.startsWith('https://') ? probeWebhook(ports, list, webhookUrl) : Promise.resolve(undefined)]);
  const facts: ClusterFacts = {
    at,
    folder: ports.folder,
    containers,
    drift: ports.drift,
    connected: ports.api !== undefined,
    health: answers.health.ok ? known({ nodes: parseHealth(answers.health.value as HealthBody), version: (answers.health.value as HealthBody).meta?.version }) : answers.health,
    support: answers.support.ok ? known(parseSupportBody(answers.support.value)) : answers.support,
    settings,
    shardCount: answers.shards,
    db,
    ...(webhook ? { webhook } : {}),
    failoverExpectationSeconds: ports.failoverExpectationSeconds,
  };
  const raw = (f: Fact<unknown>) => (f.ok ? f.value : { notRead: f.reason });
  return { facts, inspects: inspects.ok ? inspects.value : [], answers: { health: raw(answers.health), support: raw(answers.support), settings: raw(answers.settings) } };
}

async function inspectAll(ports: GatherPorts): Promise<Fact<ContainerInspect[]>> {
  if (!ports.folder) return unknown(noClusterFolder());
  try {
    const list = await ports.docker.listProjectContainers(ports.folder.project);
    return known(await Promise.all(list.map((c) => ports.docker.inspect(c.id))));
  } catch (error) {
    return unknown(t('Docker could not be asked: {0}', (error as Error).message));
  }
}

/** One container as the checks see it (its whole environment stays in the extension host). */
export function containerFacts(inspect: ContainerInspect): ContainerFacts {
  const env = Object.fromEntries((inspect.Config.Env ?? []).map((e) => { const i = e.indexOf('='); return i === -1 ? [e, ''] : [e.slice(0, i), e.slice(i + 1)]; }));
  const labels = inspect.Config.Labels ?? {};
  const service = labels['com.docker.compose.service'] ?? inspect.Name.replace(/^\//, '');
  const ports: PublishedPort[] = Object.entries(inspect.NetworkSettings?.Ports ?? {}).flatMap(([key, bindings]) =>
    (bindings ?? []).map((b) => ({ containerPort: Number(key.split('/')[0]), hostIp: b.HostIp, hostPort: Number(b.HostPort) || undefined })));
  return {
    id: inspect.Id, name: inspect.Name.replace(/^\//, ''), service, state: inspect.State.Status, image: inspect.Config.Image,
    kind: nodeKindOf(env, service), version: imageVersion(inspect.Config.Image), env, ports,
    ...(inspect.State.Status !== 'running' && inspect.State.ExitCode !== undefined ? { exitCode: inspect.State.ExitCode } : {}),
  };
}

interface WebappAnswers { health: Fact<unknown>; support: Fact<unknown>; settings: Fact<unknown>; shards: Fact<number | undefined> }

async function askWebapp(ports: GatherPorts): Promise<WebappAnswers> {
  const api = ports.api;
  if (!api) {
    const none = unknown(notConnected());
    return { health: none, support: none, settings: none, shards: none };
  }
  const ask = (path: string): Promise<Fact<unknown>> => api.get(path).then(known, (e: Error) => unknown(t('{0} failed: {1}', path, e.message)));
  const [health, support, settings, shardsBody] = await Promise.all([ask('/v1/health'), ask('/v1/support'), ask('/v1/settings/application'), ask('/v1/account/shards')]);
  const shards: Fact<number | undefined> = shardsBody.ok ? known(shardCountOf(shardsBody.value)) : shardsBody;
  return { health, support, settings, shards };
}

function shardCountOf(body: unknown): number | undefined {
  const account = (body as { account?: { shards?: number } | Array<{ shards?: number }> })?.account;
  return Array.isArray(account) ? account[0]?.shards : account?.shards;
}

/** Logs in to the database inside its container with the WhatsApp nodes' WA_DB_* credentials. */
async function probeDatabase(ports: GatherPorts, containers: readonly ContainerFacts[]): Promise<Fact<DbProbe>> {
  const db = containers.find((c) => c.kind === 'db');
  if (!db) return unknown(t('no database container in the project (the database runs elsewhere)'));
  if (db.state !== 'running') return unknown(t('the {0} container is {1}', db.service, db.state));
  const node = containers.find((c) => c.env.WA_DB_USERNAME && c.env.WA_DB_PASSWORD !== undefined);
  if (!node) return unknown(t('no WhatsApp node has WA_DB_USERNAME and WA_DB_PASSWORD'));
  const engine = node.env.WA_DB_ENGINE === 'PGSQL' ? 'PGSQL' : 'MYSQL';
  const user = node.env.WA_DB_USERNAME;
  const port = node.env.WA_DB_PORT || (engine === 'PGSQL' ? '5432' : '3306');
  const where = t('127.0.0.1:{0} inside {1}', port, db.service);
  const cmd = engine === 'MYSQL'
    ? ['sh', '-c', 'c=mysql; command -v mysql >/dev/null 2>&1 || c=mariadb; exec "$c" -h 127.0.0.1 -P "$1" -u "$2" -N -B -e "SHOW GRANTS FOR CURRENT_USER()"', 'sh', port, user]
    : ['psql', '-h', '127.0.0.1', '-p', port, '-U', user, '-d', 'postgres', '-tA', '-c', 'SELECT rolsuper, rolcreatedb FROM pg_roles WHERE rolname = current_user'];
  // The password goes in the environment of the client, never on a command line.
  const env = [engine === 'MYSQL' ? `MYSQL_PWD=${node.env.WA_DB_PASSWORD}` : `PGPASSWORD=${node.env.WA_DB_PASSWORD}`];
  try {
    const r = await ports.docker.exec(db.id, cmd, { env, timeoutMs: 10_000 });
    if (r.exitCode === 127 || r.exitCode === 126) return unknown(t('no database client in the {0} container to log in with', db.service));
    if (r.exitCode !== 0) return known({ engine, where, user, reachable: false, error: (r.stderr || r.stdout).trim().split('\n').at(-1) });
    const out = r.stdout.trim();
    if (engine === 'PGSQL') {
      const [superuser, createdb] = out.split('|');
      return known({ engine, where, user, reachable: true, privileged: superuser === 't' || createdb === 't', grants: t('superuser {0}, createdb {1}', superuser === 't' ? 'yes' : 'no', createdb === 't' ? 'yes' : 'no') });
    }
    const grants = out.split('\n').map((l) => l.replace(/ IDENTIFIED BY PASSWORD '[^']*'/, '')).join('; ');
    const all = /ALL PRIVILEGES ON (\*|`?[^`]+`?)\.\*/i.test(grants);
    const needed = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CREATE', 'ALTER', 'DROP', 'INDEX'];
    return known({ engine, where, user, reachable: true, privileged: all || needed.every((p) => new RegExp(`\\b${p}\\b`, 'i').test(grants)), grants });
  } catch (error) {
    return unknown(t('could not run the database client in {0}: {1}', db.service, (error as Error).message));
  }
}

/** POSTs WADebug's test body to the webhook from inside a running coreapp (curl, 5 s limit). */
async function probeWebhook(ports: GatherPorts, containers: readonly ContainerFacts[], url: string): Promise<Fact<WebhookProbe> | undefined> {
  const coreapp = containers.find((c) => c.kind === 'coreapp' && c.state === 'running');
  if (!coreapp) return undefined;
  try {
    const r = await ports.docker.exec(coreapp.id, ['curl', '-sS', '-o', '/dev/null', '-w', '%{http_code} %{time_total}', '-m', '5', '-X', 'POST',
      '-H', 'Content-Type: application/json', '-d', '{"wadebug_webhook_test":"test"}', url], { timeoutMs: 10_000 });
    if (r.exitCode === 127 || r.exitCode === 126) return unknown(t('no curl in {0} to try the webhook from', coreapp.service));
    const [code, seconds] = r.stdout.trim().split(' ');
    return known({ url, from: coreapp.service, status: Number(code) || 0, seconds: Number(seconds) || 0, ...(r.exitCode !== 0 ? { error: r.stderr.trim().replace(/^curl: \(\d+\) /, '') } : {}) });
  } catch (error) {
    return unknown(t('could not run curl in {0}: {1}', coreapp.service, (error as Error).message));
  }
}
