// Diagnose Cluster's checks: pure functions over gathered facts (facts.ts). Meta's WADebug checks
// that apply to a compose cluster, and the HA/Multiconnect checks WADebug lacks
// (/work/shared/reference/meta-behaviour.md). Each result says what was seen (evidence) and, where
// one exists, the action that fixes it.
import { impossibleStates, parseShardOwnership, type NodeHealth, type NodeShards } from '../cluster/clusterHealth';
import { failoverBound, failoverIntervals, ROUTES, unownedShards } from '../contract';
import { t } from '../l10n';
import { compactShards } from '../topology/shardMap';
import { DB_SETTINGS, PASSWORD_BREAKERS, type ClusterFacts, type ContainerFacts, type Fact } from './facts';

export type Severity = 'ok' | 'warning' | 'problem' | 'skipped';

/** A command the user can run from a result row; `args` are plain data (they cross the webview). */
export interface FixAction { label: string; command: string; args?: unknown[] }

export interface CheckResult {
  /** Stable id, e.g. `ha.standby` or `containers.stopped:wacore3`. */
  id: string;
  title: string;
  severity: Severity;
  evidence: string;
  fix?: FixAction;
  /** WADebug: Meta's tool checks it too; HA: what WADebug lacks. */
  origin: 'WADebug' | 'HA';
}

export interface Diagnosis {
  at: string;
  folder?: string;
  project?: string;
  counts: Record<Severity, number>;
  results: CheckResult[];
}

/** Fix actions, as commands of this extension (a tree row is passed as `{ id, label }`). */
export const fixes = {
  start: (c: Pick<ContainerFacts, 'id' | 'service'>): FixAction => ({ label: t('Start {0}', c.service), command: 'wabaCluster.startService', args: [{ id: c.id, label: c.service }] }),
  logs: (c: Pick<ContainerFacts, 'id' | 'service'>): FixAction => ({ label: t('Tail logs of {0}', c.service), command: 'wabaCluster.tailLogs', args: [{ id: c.id, label: c.service }] }),
  stop: (c: Pick<ContainerFacts, 'id' | 'name'>): FixAction => ({ label: t('Stop {0}', c.name), command: 'wabaCluster.stopContainer', args: [{ id: c.id, name: c.name }] }),
  upgrade: (): FixAction => ({ label: t('Upgrade Cluster…'), command: 'wabaCluster.upgrade' }),
  startCluster: (): FixAction => ({ label: t('Start Cluster'), command: 'wabaCluster.up' }),
  connect: (): FixAction => ({ label: t('Connect to Webapp'), command: 'wabaCluster.connect' }),
  panel: (): FixAction => ({ label: t('Open Cluster Panel'), command: 'wabaCluster.openPanel' }),
};

type Check = (facts: ClusterFacts) => CheckResult[];

const result = (id: string, title: string, severity: Severity, evidence: string, origin: CheckResult['origin'], fix?: FixAction): CheckResult =>
  ({ id, title, severity, evidence, origin, ...(fix ? { fix } : {}) });

/** A result for a fact that could not be read: skipped, saying why (and how to get it). */
function skipped(id: string, title: string, origin: CheckResult['origin'], fact: Fact<unknown>, facts: ClusterFacts): CheckResult {
  const reason = fact.ok ? '' : fact.reason;
  return result(id, title, 'skipped', t('Not checked: {0}', reason), origin, facts.connected ? undefined : fixes.connect());
}

const whatsappNodes = (containers: readonly ContainerFacts[]) => containers.filter((c) => c.kind === 'webapp' || c.kind === 'master' || c.kind === 'coreapp');
const running = (c: ContainerFacts) => c.state === 'running';
const names = (items: ReadonlyArray<{ service: string }>) => items.map((c) => c.service).join(', ');

/** WADebug containers_status, made HA-aware: which stopped container costs what. */
const stoppedContainers: Check = (facts) => {
  const title = t('Containers running');
  if (!facts.containers.ok) return [result('containers', title, 'problem', facts.containers.reason, 'WADebug')];
  const all = facts.containers.value;
  if (all.length === 0) return [result('containers', title, 'problem', t('The compose project has no containers.'), 'WADebug', fixes.startCluster())];
  const stopped = all.filter((c) => !running(c));
  if (stopped.length === 0) return [result('containers', title, 'ok', t('All {0} containers run: {1}.', all.length, names(all)), 'WADebug')];
  if (stopped.length === all.length) return [result('containers', title, 'problem', t('Every container is stopped: {0}.', names(all)), 'WADebug', fixes.startCluster())];
  const mastersUp = all.some((c) => c.kind === 'master' && running(c));
  return stopped.map((c) => {
    const exit = c.exitCode !== undefined ? t(' (exit code {0})', c.exitCode) : '';
    const [severity, cost] = c.kind === 'db' ? ['problem' as const, t('every node needs the database')]
      : c.kind === 'webapp' ? ['problem' as const, t('the API (and {0}) is served by the webapp', ROUTES.health.path)]
        : c.kind === 'master' && !mastersUp ? ['problem' as const, t('no master runs: nobody assigns shards or holds the control shard')]
          : c.kind === 'master' ? ['warning' as const, t('the other master carries on alone, with no master to take over')]
            : c.kind === 'coreapp' ? ['warning' as const, t('one coreapp fewer to own a shard or stand by')]
              : ['warning' as const, t('not a WhatsApp node')];
    return result(`containers.stopped:${c.service}`, t('{0} is stopped', c.service), severity, t('{0} is {1}{2}: {3}.', c.name, c.state, exit, cost), 'WADebug', fixes.start(c));
  });
};

/** WADebug check_db_settings_exist: the five WA_DB_* settings on every WhatsApp node. */
const dbSettings: Check = (facts) => {
  const title = t('WA_DB_* settings on every node');
  if (!facts.containers.ok) return [];
  const nodes = whatsappNodes(facts.containers.value);
  if (nodes.length === 0) return [];
  const lacking = nodes.map((c) => ({ c, missing: DB_SETTINGS.filter((k) => !c.env[k]) })).filter((x) => x.missing.length > 0);
  if (lacking.length === 0) return [result('db.settings', title, 'ok', t('{0} nodes have {1} (db.env).', nodes.length, DB_SETTINGS.join(', ')), 'WADebug')];
  return [result('db.settings', title, 'problem', lacking.map(({ c, missing }) => t('{0} lacks {1}', c.service, missing.join(', '))).join('; ') + t('. Every node reads them from db.env (env_file in the compose file).'), 'WADebug')];
};

/** WADebug check_mysql_password: characters that break the client's connection string. */
const dbPassword: Check = (facts) => {
  if (!facts.containers.ok) return [];
  const passwords = new Set(whatsappNodes(facts.containers.value).map((c) => c.env.WA_DB_PASSWORD).filter((p): p is string => Boolean(p)));
  if (passwords.size === 0) return [];
  const bad = [...new Set([...passwords].flatMap((p) => [...p].filter((ch) => PASSWORD_BREAKERS.includes(ch))))];
  const title = t('WA_DB_PASSWORD characters');
  if (bad.length === 0) return [result('db.password', title, 'ok', t('No character of {0} in WA_DB_PASSWORD.', PASSWORD_BREAKERS), 'WADebug')];
  return [result('db.password', title, 'problem', t('WA_DB_PASSWORD contains {0}, which the client cannot use in its connection string: change the password in db.env and in the database.', bad.join(' ')), 'WADebug')];
};

/** WADebug check_mysql_connection + check_mysql_permissions, for MySQL and PostgreSQL. */
const dbReachable: Check = (facts) => {
  const title = t('Database reachable with the needed privileges');
  const db = facts.containers.ok ? facts.containers.value.find((c) => c.kind === 'db') : undefined;
  if (!facts.db.ok) return [result('db.reachable', title, db && !running(db) ? 'problem' : 'skipped', facts.db.reason, 'WADebug', db && !running(db) ? fixes.start(db) : undefined)];
  const p = facts.db.value;
  if (!p.reachable) return [result('db.reachable', title, 'problem', t('{0} as {1} failed: {2}', p.where, p.user, p.error ?? t('no answer')), 'WADebug', db ? fixes.logs(db) : undefined)];
  if (p.privileged === false) return [result('db.reachable', title, 'problem', t('{0} logs in at {1}, but may not create or alter the schema (the primary master does): {2}', p.user, p.where, p.grants ?? ''), 'WADebug')];
  return [result('db.reachable', title, 'ok', t('{0} logs in at {1}; {2}', p.user, p.where, p.grants ?? t('privileges not listed')), 'WADebug')];
};

/** WADebug check_webapp_port: the webapp's HTTPS port published on the host. */
const webappPort: Check = (facts) => {
  if (!facts.containers.ok) return [];
  const webapps = facts.containers.value.filter((c) => c.kind === 'webapp');
  if (webapps.length === 0) return [result('webapp.port', t('Webapp port published'), 'problem', t('No container runs the webapp (WEBAPP_HOSTNAME): the API cannot be reached.'), 'WADebug')];
  const published = webapps.flatMap((c) => c.ports.filter((p) => p.containerPort === 443 && p.hostPort).map((p) => `${c.service} ${p.hostIp || '0.0.0.0'}:${p.hostPort} → 443`));
  if (published.length) return [result('webapp.port', t('Webapp port published'), 'ok', published.join('; '), 'WADebug')];
  const stopped = webapps.find((c) => !running(c));
  return [result('webapp.port', t('Webapp port published'), 'problem', t('No webapp container publishes port 443 (Meta\'s compose: "9090:443"){0}.', stopped ? t('; {0} is not running', stopped.service) : ''), 'WADebug', stopped ? fixes.start(stopped) : undefined)];
};

/** WADebug check_software_version (mixed versions), for the HA layout: every WhatsApp node on one version. */
const mixedVersions: Check = (facts) => {
  if (!facts.containers.ok) return [];
  const byVersion = new Map<string, string[]>();
  for (const c of whatsappNodes(facts.containers.value)) if (c.version) byVersion.set(c.version, [...(byVersion.get(c.version) ?? []), c.service]);
  if (byVersion.size === 0) return [];
  const title = t('One version across the nodes');
  const listing = [...byVersion].map(([v, services]) => `v${v}: ${services.join(', ')}`).join('; ');
  if (byVersion.size === 1) return [result('versions.mixed', title, 'ok', listing, 'WADebug')];
  return [result('versions.mixed', title, 'problem', t('Nodes run different versions ({0}). A node newer than the database schema stays uninitialized; an older one refuses a newer schema.', listing), 'WADebug', fixes.startCluster())];
};

/** The image version against WA_API_VERSION of .env (what compose would start). */
const envVersion: Check = (facts) => {
  const title = t('Image version matches WA_API_VERSION');
  const wanted = facts.folder?.apiVersion;
  if (!wanted) return [result('versions.env', title, 'warning', t('WA_API_VERSION is not set in .env: compose cannot start the WhatsApp nodes.'), 'WADebug', fixes.startCluster())];
  if (facts.drift) return [result('versions.env', title, 'warning', t('{0}. Start Cluster re-creates the nodes on v{1}; Upgrade Cluster does it as Meta\'s guide says (backup, DB upgrade job where it applies).', facts.drift, wanted), 'WADebug', fixes.upgrade())];
  return [result('versions.env', title, 'ok', t('The nodes run v{0}, as {1} says.', wanted, facts.folder?.apiVersionFrom ?? '.env'), 'WADebug')];
};

/** WADebug's image expiry: support's expire_timestamp per node. */
const imageExpiry: Check = (facts) => {
  if (!facts.support.ok) return [];
  const now = Date.parse(facts.at);
  const dated = facts.support.value.map((n) => ({ key: n.key, at: Date.parse(`${n.body.expire_timestamp ?? ''}Z`) })).filter((n) => !Number.isNaN(n.at));
  if (dated.length === 0) return [];
  const first = dated.reduce((a, b) => (b.at < a.at ? b : a));
  const days = Math.floor((first.at - now) / 86_400_000);
  const title = t('Software not expired');
  const when = new Date(first.at).toISOString().slice(0, 10);
  if (days < 0) return [result('versions.expiry', title, 'problem', t('{0} expired on {1}: an expired client stops working. Upgrade.', first.key, when), 'WADebug', fixes.upgrade())];
  if (days < 7) return [result('versions.expiry', title, 'warning', t('{0} expires on {1} (in {2} days). Upgrade before then.', first.key, when, days), 'WADebug', fixes.upgrade())];
  return [result('versions.expiry', title, 'ok', t('The first node to expire ({0}) does so on {1}, in {2} days.', first.key, when, days), 'WADebug')];
};

/** WADebug check_webhook: set, HTTPS, answered 200 within 3 s from inside a coreapp. */
const webhook: Check = (facts) => {
  const title = t('Webhook reachable from a coreapp');
  if (!facts.settings.ok) return [skipped('webhook', title, 'WADebug', facts.settings, facts)];
  const url = facts.settings.value.webhooks?.url ?? '';
  if (!url) return [result('webhook', title, 'skipped', t('No webhook URL is set (settings webhooks.url): callbacks are not sent, so there is nothing to reach.'), 'WADebug', fixes.panel())];
  if (!url.startsWith('https://')) return [result('webhook', title, 'warning', t('{0} is not HTTPS: Meta requires an HTTPS webhook.', url), 'WADebug')];
  if (!facts.webhook) return [result('webhook', title, 'skipped', t('Not checked: no coreapp runs to try {0} from.', url), 'WADebug')];
  if (!facts.webhook.ok) return [result('webhook', title, 'skipped', t('Not checked: {0}', facts.webhook.reason), 'WADebug')];
  const w = facts.webhook.value;
  const seconds = w.seconds.toFixed(1);
  if (w.status === 200 && w.seconds > 3) return [result('webhook', title, 'warning', t('{0} answered 200 from {1}, but took {2} s (over 3 s slows callbacks).', w.url, w.from, seconds), 'WADebug')];
  if (w.status === 200) return [result('webhook', title, 'ok', t('{0} answered 200 from {1} in {2} s.', w.url, w.from, seconds), 'WADebug')];
  return [result('webhook', title, 'problem', w.status ? t('{0} answered HTTP {1} from {2} (only 200 counts: callbacks are retried).', w.url, w.status, w.from) : t('{0} could not be reached from {1}: {2}', w.url, w.from, w.error ?? t('no answer within 5 s')), 'WADebug')];
};

/** Published ports on every address instead of loopback (Meta's compose publishes 9090, 33060, 6250-6253). */
const loopbackPorts: Check = (facts) => {
  if (!facts.containers.ok) return [];
  const open = facts.containers.value.flatMap((c) => c.ports.filter((p) => p.hostPort && (!p.hostIp || p.hostIp === '0.0.0.0' || p.hostIp === '::')).map((p) => `${c.service} ${p.hostIp || '0.0.0.0'}:${p.hostPort}`));
  const title = t('Published ports on 127.0.0.1 only');
  if (open.length === 0) return [result('ports.loopback', title, 'ok', t('Every published port listens on a single address.'), 'HA')];
  const unique = [...new Set(open)];
  return [result('ports.loopback', title, 'warning', t('{0} listen on every address: other machines can reach the database and the nodes. Publish them as "127.0.0.1:9090:443" in the compose file (or a network with com.docker.network.bridge.host_binding_ipv4).', unique.join(', ')), 'HA')];
};

/** Two running containers with one COREAPP_HOSTNAME (docker-compose --scale). */
const duplicateHostnames: Check = (facts) => {
  if (!facts.containers.ok) return [];
  const byName = new Map<string, ContainerFacts[]>();
  for (const c of facts.containers.value.filter(running)) {
    const h = c.env.COREAPP_HOSTNAME;
    if (h) byName.set(h, [...(byName.get(h) ?? []), c]);
  }
  const title = t('One container per COREAPP_HOSTNAME');
  const dupes = [...byName].filter(([, cs]) => cs.length > 1);
  if (dupes.length === 0) return byName.size ? [result('ha.hostnames', title, 'ok', t('{0} nodes, {0} names.', byName.size), 'HA')] : [];
  return dupes.map(([name, cs]) => {
    const extra = [...cs].sort((a, b) => b.name.localeCompare(a.name, 'en', { numeric: true }))[0];
    return result(`ha.hostnames:${name}`, t('{0} containers claim COREAPP_HOSTNAME {1}', cs.length, name), 'problem',
      t('{0} all say COREAPP_HOSTNAME={1} (docker-compose --scale gives every replica the same one): only one may hold it, the others serve nothing. Give each node its own service and name.', cs.map((c) => c.name).join(', '), name), 'HA', fixes.stop(extra));
  });
};

function healthAndShards(facts: ClusterFacts): { nodes: NodeHealth[]; shards: NodeShards[] } | undefined {
  if (!facts.health.ok) return undefined;
  return { nodes: facts.health.value.nodes, shards: facts.support.ok ? parseShardOwnership(facts.support.value) : [] };
}

/** HA: exactly one primary master; never two primaries or two owners of a shard (issue #13). */
const primaryMaster: Check = (facts) => {
  const title = t('Exactly one primary master');
  const hs = healthAndShards(facts);
  if (!hs) return [skipped('ha.primary', title, 'HA', facts.health, facts)];
  const out: CheckResult[] = [];
  const primaries = hs.nodes.filter((n) => n.role === 'primary_master');
  const masters = hs.nodes.filter((n) => n.role === 'primary_master' || n.role === 'secondary_master');
  if (primaries.length === 1) out.push(result('ha.primary', title, 'ok', t('{0} is primary; {1} other master(s) stand by.', primaries[0].coreappHostname, masters.length - 1), 'HA'));
  else if (primaries.length === 0) out.push(result('ha.primary', title, 'problem', t('No node reports primary_master: nothing assigns shards, registers or changes settings (1017). The masters: {0}.', describeNodes(hs.nodes.filter((n) => n.coreappHostname.startsWith('master') || n.role?.endsWith('master'))) || t('none answered')), 'HA', masterFix(facts)));
  for (const state of impossibleStates(hs.nodes, hs.shards)) out.push(result(`ha.impossible:${state}`, t('Impossible state'), 'problem', t('{0}. The client guarantees one primary master and one owner per shard at every moment: a message could be sent twice. Look at the nodes\' logs; restart the node that kept its role.', state), 'HA'));
  return out;
};

function masterFix(facts: ClusterFacts): FixAction | undefined {
  const stopped = facts.containers.ok ? facts.containers.value.find((c) => c.kind === 'master' && !running(c)) : undefined;
  return stopped ? fixes.start(stopped) : undefined;
}

function describeNodes(nodes: readonly NodeHealth[]): string {
  return nodes.map((n) => `${n.coreappHostname} ${n.error ? `${n.error.code} ${n.error.title}` : `${n.role ?? ''} ${n.gatewayStatus ?? ''}`.trim()}`).join(', ');
}

/** The shard count: `ROUTES.shards`, else the highest shard any node reports. */
function shardCountOf(facts: ClusterFacts, shards: readonly NodeShards[]): number | undefined {
  if (facts.shardCount.ok && facts.shardCount.value) return facts.shardCount.value;
  const highest = Math.max(-1, ...shards.flatMap((s) => s.shards));
  return highest >= 0 ? highest + 1 : undefined;
}

const unregistered = (nodes: readonly NodeHealth[]) => nodes.some((n) => n.gatewayStatus === 'unregistered');

/** HA: connected coreapps = shards, every shard owned, the control shard on the primary master, a standby. */
const shardMap: Check = (facts) => {
  const hs = healthAndShards(facts);
  const ids = ['ha.connected', 'ha.unowned', 'ha.control', 'ha.standby'];
  if (!hs) return [skipped(ids[0], t('Shards served'), 'HA', facts.health, facts)];
  if (unregistered(hs.nodes)) return [result(ids[0], t('Shards served'), 'skipped', t('The number is not registered yet: no shard is served until it is (register it in the Cluster Panel).'), 'HA', fixes.panel())];
  if (!facts.support.ok) return [skipped(ids[0], t('Shards served'), 'HA', facts.support, facts)];
  const count = shardCountOf(facts, hs.shards);
  if (!count) return [result(ids[0], t('Shards served'), 'skipped', t('No node reports a shard yet.'), 'HA')];
  const out: CheckResult[] = [];
  const coreapps = hs.nodes.filter((n) => n.role === 'coreapp' || n.coreappHostname.startsWith('wacore'));
  const connected = coreapps.filter((n) => n.gatewayStatus === 'connected');
  const title = t('Connected coreapps = shards');
  const sev = connected.length === count ? 'ok' : 'problem';
  out.push(result(ids[0], title, sev, t('{0} shard(s), {1} connected coreapp(s): {2}.', count, connected.length, connected.map((n) => n.coreappHostname).join(', ') || t('none')), 'HA'));

  const unowned = unownedShards(count, facts.support.value);
  const runningCoreapps = facts.containers.ok ? facts.containers.value.filter((c) => c.kind === 'coreapp' && running(c)) : [];
  const stoppedCoreapp = facts.containers.ok ? facts.containers.value.find((c) => c.kind === 'coreapp' && !running(c)) : undefined;
  if (unowned.length === 0) out.push(result(ids[1], t('Every shard has a coreapp'), 'ok', t('{0} shard(s) over {1} running coreapp(s).', count, runningCoreapps.length), 'HA'));
  else out.push(result(ids[1], t('Every shard has a coreapp'), 'problem',
    t('Shard(s) {0} of {1} have no coreapp: messages to their recipients fail (1014). {2} coreapp(s) run for {1} shard(s); Meta recommends shards + 1.', compactShards(unowned), count, runningCoreapps.length),
    'HA', stoppedCoreapp ? fixes.start(stoppedCoreapp) : undefined));

  if (count > 1) {
    const primary = hs.nodes.find((n) => n.role === 'primary_master');
    const holder = hs.shards.filter((s) => s.control);
    const onPrimary = primary && holder.some((h) => h.key === primary.key);
    out.push(result(ids[2], t('The primary master holds the control shard'), onPrimary ? 'ok' : 'problem',
      onPrimary ? t('{0} holds the control shard (Multiconnect).', primary!.coreappHostname)
        : t('In Multiconnect the primary master holds the control shard; it is held by {0}.', holder.map((h) => h.coreappHostname).join(', ') || t('nobody')), 'HA'));
  }

  const owning = new Set(hs.shards.filter((s) => s.shards.length > 0).map((s) => s.key));
  const standbys = coreapps.filter((n) => !n.error && !owning.has(n.key) && n.gatewayStatus !== undefined);
  out.push(standbys.length > 0
    ? result(ids[3], t('A standby coreapp'), 'ok', t('{0} stand(s) by to take over a shard.', standbys.map((n) => n.coreappHostname).join(', ')), 'HA')
    : result(ids[3], t('A standby coreapp'), 'warning', t('No coreapp stands by: if one of the {0} owners dies, its shard stops until it returns. Meta recommends shards + 1 coreapps.', owning.size), 'HA', stoppedCoreapp ? fixes.start(stoppedCoreapp) : undefined));
  return out;
};

/** HA: nodes answering 1011/1014 or uninitialized, with their likely cause. */
const notReadyNodes: Check = (facts) => {
  const hs = healthAndShards(facts);
  if (!hs) return [];
  const containers = facts.containers.ok ? facts.containers.value : [];
  const dbDown = facts.db.ok ? !facts.db.value.reachable : containers.some((c) => c.kind === 'db' && !running(c));
  const db = containers.find((c) => c.kind === 'db');
  const out: CheckResult[] = [];
  const before = unregistered(hs.nodes);
  for (const n of hs.nodes) {
    const container = containers.find((c) => n.containerHostname.length >= 12 && c.id.startsWith(n.containerHostname))
      ?? containers.find((c) => c.env.COREAPP_HOSTNAME === n.coreappHostname);
    const id = `ha.notReady:${n.coreappHostname}`;
    const title = t('{0} is not ready', n.coreappHostname);
    const details = n.error?.details ?? '';
    if (n.gatewayStatus === 'uninitialized') {
      out.push(result(id, t('{0} is uninitialized', n.coreappHostname), 'warning', t('{0} waits for the database schema of its version: an upgrade is pending (the primary master upgrades the schema; Meta: this clears within minutes). If it lasts, finish the upgrade.', n.key), 'HA', fixes.upgrade()));
    } else if (n.error?.code === 1014) {
      const cause = container && !running(container) ? t('its container {0} is {1}', container.name, container.state)
        : dbDown ? t('the database cannot be reached') : t('it does not answer the webapp');
      const fix = container && !running(container) ? fixes.start(container) : dbDown && db ? fixes.logs(db) : container ? fixes.logs(container) : undefined;
      out.push(result(id, title, 'problem', t('1014: {0} — likely cause: {1}.', details || n.error.title, cause), 'HA', fix));
    } else if (n.error?.code === 1011) {
      if (/schema .*newer/i.test(details)) out.push(result(id, title, 'problem', t('1011: {0} — likely cause: this node runs an older version than the database schema (a downgrade).', details), 'HA', fixes.startCluster()));
      else if (/COREAPP_HOSTNAME .* held/i.test(details)) out.push(result(id, title, 'problem', t('1011: {0}', details), 'HA', container ? fixes.stop(container) : undefined));
      else if (before) out.push(result(id, title, 'skipped', t('1011 {0}: expected until the number is registered (the guide\'s first health check).', n.error.title), 'HA'));
      else if (dbDown) out.push(result(id, title, 'problem', t('1011: {0} — likely cause: the database cannot be reached.', details || n.error.title), 'HA', db ? (running(db) ? fixes.logs(db) : fixes.start(db)) : undefined));
      else out.push(result(id, title, 'problem', t('1011: {0} — see its log.', details || n.error.title), 'HA', container ? fixes.logs(container) : undefined));
    } else if (n.error) {
      out.push(result(id, title, 'problem', t('{0} {1}: {2}', n.error.code, n.error.title, details), 'HA', container ? fixes.logs(container) : undefined));
    }
  }
  if (out.length === 0 && hs.nodes.length) out.push(result('ha.notReady', t('Every node ready'), 'ok', t('{0} nodes answer health with a status; none 1011, 1014 or uninitialized.', hs.nodes.length), 'HA'));
  return out;
};

/** HA: heartbeat/unhealthy settings against how fast the user expects failover. */
const failoverTiming: Check = (facts) => {
  const title = t('Failover timing (heartbeat_interval, unhealthy_interval)');
  if (!facts.settings.ok) return [skipped('ha.timing', title, 'HA', facts.settings, facts)];
  const { heartbeat, unhealthy } = failoverIntervals(facts.settings.value);
  const expected = failoverBound({ heartbeat, unhealthy });
  const limit = facts.failoverExpectationSeconds;
  const basis = t('heartbeat {0} s, unhealthy {1} s: a dead node\'s role moves about {2} s after its last heartbeat (unhealthy + one heartbeat)', heartbeat, unhealthy, expected);
  if (unhealthy < 2 * heartbeat) return [result('ha.timing', title, 'warning', t('{0}; unhealthy_interval is under 2 heartbeats, so one late heartbeat fails a healthy node over.', basis), 'HA', fixes.panel())];
  if (expected > limit) return [result('ha.timing', title, 'warning', t('{0}: slower than the {1} s you expect (setting wabaCluster.failoverExpectationSeconds). Lower unhealthy_interval, or run the failover drill to measure it.', basis, limit), 'HA', fixes.panel())];
  return [result('ha.timing', title, 'ok', t('{0}; within the {1} s you expect.', basis, limit), 'HA')];
};

/** Every check, in the order the results are shown (what is down first, then the HA picture). */
export const CHECKS: readonly Check[] = [
  stoppedContainers, dbReachable, dbSettings, dbPassword, webappPort, mixedVersions, envVersion, imageExpiry,
  primaryMaster, shardMap, notReadyNodes, duplicateHostnames, failoverTiming, loopbackPorts, webhook,
];

const ORDER: Record<Severity, number> = { problem: 0, warning: 1, ok: 2, skipped: 3 };

/** Runs every check; problems first, then warnings, passes and what was not checked. */
export function diagnose(facts: ClusterFacts): Diagnosis {
  const results = CHECKS.flatMap((check) => check(facts));
  const sorted = results.map((r, i) => ({ r, i })).sort((a, b) => ORDER[a.r.severity] - ORDER[b.r.severity] || a.i - b.i).map(({ r }) => r);
  const counts: Record<Severity, number> = { problem: 0, warning: 0, ok: 0, skipped: 0 };
  for (const r of results) counts[r.severity]++;
  return { at: facts.at, folder: facts.folder?.path, project: facts.folder?.project, counts, results: sorted };
}
