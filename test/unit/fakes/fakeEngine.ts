// A fake of the Docker engine under a compose project of Meta's Multiconnect layout (db, waweb, two
// masters, three coreapps): `docker inspect` answers built from each service's db.env, an exec that
// answers as the database client and curl would, logs, kill and start. Records every exec.
import type { ContainerInspect } from '../../../src/docker/dockerClient';
import type { EngineEventListener } from '../../../src/docker/eventHub';
import type { HealthNodeBody, SupportNodeBody } from '../../../src/contract';
import type { DiagnoseEngine } from '../../../src/diagnose/diagnoseServices';

export const DB_PASSWORD = 'testpass';
const DB_ENV = ['WA_DB_ENGINE=MYSQL', 'WA_DB_HOSTNAME=db', 'WA_DB_PORT=3306', 'WA_DB_USERNAME=root', `WA_DB_PASSWORD=${DB_PASSWORD}`];
export const SERVICES = ['db', 'waweb', 'master1', 'master2', 'wacore1', 'wacore2', 'wacore3'];
const idOf = (service: string) => `${service.replace(/[^a-z0-9]/g, '').padEnd(12, '0').slice(0, 12)}`.padEnd(64, 'f');

/** Meta's compose files publish the webapp on 9090 and the database on 33060, on 127.0.0.1 with the emulator's override. */
const PUBLISHED: Record<string, Record<string, Array<{ HostIp: string; HostPort: string }>>> = {
  waweb: { '443/tcp': [{ HostIp: '127.0.0.1', HostPort: '9090' }] },
  db: { '3306/tcp': [{ HostIp: '127.0.0.1', HostPort: '33060' }] },
};

export interface FakeContainer { service: string; state: string; exitCode?: number; env: string[]; image: string; ports: ContainerInspect['NetworkSettings'] }

type ExecAnswer = { exitCode: number; stdout: string; stderr: string };

export class FakeEngine implements DiagnoseEngine {
  readonly containers: FakeContainer[] = SERVICES.map((service) => ({
    service, state: 'running',
    env: service === 'db' ? [`MYSQL_ROOT_PASSWORD=${DB_PASSWORD}`] : service === 'waweb' ? [...DB_ENV, 'WEBAPP_HOSTNAME=waweb'] : [...DB_ENV, `COREAPP_HOSTNAME=${service}`, ...(service.startsWith('master') ? ['WA_MASTER_NODE=1'] : [])],
    image: service === 'db' ? 'mysql:8.0.33' : `docker.whatsapp.biz/${service === 'waweb' ? 'web' : 'coreapp'}:v2.53.1`,
    ports: { Ports: PUBLISHED[service] ?? {} },
  }));
  /** Every exec: container service, the command and the environment it was given. */
  readonly execs: Array<{ service: string; cmd: string[]; env: string[] }> = [];
  readonly killed: string[] = [];
  readonly started: string[] = [];
  /** What the database client prints in the db container (MySQL's SHOW GRANTS). */
  dbClient: ExecAnswer = { exitCode: 0, stdout: 'GRANT ALL PRIVILEGES ON *.* TO `root`@`%` WITH GRANT OPTION\n', stderr: '' };
  /** What curl prints in a coreapp when it POSTs to the webhook (`-w '%{http_code} %{time_total}'`). */
  curl: ExecAnswer = { exitCode: 0, stdout: '200 0.042', stderr: '' };
  logs: Record<string, string[]> = {};
  private readonly listeners = new Set<EngineEventListener>();

  readonly current = {
    inspect: async (id: string): Promise<ContainerInspect> => {
      const c = this.byId(id);
      return {
        Id: id, Name: `/biz_${c.service}_1`, Config: { Image: c.image, Env: c.env, Labels: { 'com.docker.compose.service': c.service, 'com.docker.compose.project': 'biz' } },
        State: { Status: c.state, ExitCode: c.exitCode ?? 0 }, NetworkSettings: c.ports,
      };
    },
    exec: async (id: string, cmd: string[], options: { env?: string[] } = {}): Promise<ExecAnswer> => {
      const c = this.byId(id);
      this.execs.push({ service: c.service, cmd, env: options.env ?? [] });
      if (c.state !== 'running') throw new Error(`container ${c.service} is not running`);
      return cmd[0] === 'curl' ? this.curl : this.dbClient;
    },
    logsSince: async (id: string): Promise<string[]> => this.logs[this.byId(id).service] ?? [],
    killContainer: async (id: string): Promise<void> => { this.killed.push(this.byId(id).service); },
    startContainer: async (id: string): Promise<void> => { this.started.push(this.byId(id).service); },
  };

  readonly events = {
    subscribe: (listener: EngineEventListener) => { this.listeners.add(listener); return { dispose: () => this.listeners.delete(listener) }; },
  };

  async listProjectContainers(project: string): Promise<Array<{ id: string; service: string; name: string; state: string }>> {
    if (project !== 'biz') return [];
    return this.containers.map((c) => ({ id: idOf(c.service), service: c.service, name: `biz_${c.service}_1`, state: c.state }));
  }

  container(service: string): FakeContainer {
    const c = this.containers.find((x) => x.service === service);
    if (!c) throw new Error(`no service ${service}`);
    return c;
  }

  private byId(id: string): FakeContainer {
    const c = this.containers.find((x) => idOf(x.service) === id);
    if (!c) throw new Error(`No such container: ${id}`);
    return c;
  }
}

/** The node key of a service as health and support name it (`<COREAPP_HOSTNAME>:<container hostname>`). */
export const nodeKey = (service: string): string => `${service}:${idOf(service).slice(0, 12)}`;

/** The webapp of a registered 2-shard cluster: master1 primary with the control shard, wacore1/wacore2 own shards 0/1, wacore3 the standby. */
export function multiconnect<W extends { health: Record<string, HealthNodeBody>; support: Record<string, SupportNodeBody>; shards: number }>(webapp: W): W {
  const role = (s: string) => (s === 'master1' ? 'primary_master' : s === 'master2' ? 'secondary_master' : 'coreapp');
  const owned: Record<string, Array<[number, number]>> = { master1: [[-1, -1]], wacore1: [[0, 0]], wacore2: [[1, 1]] };
  for (const s of SERVICES.slice(2)) {
    webapp.health[nodeKey(s)] = { role: role(s), gateway_status: s === 'master2' || s === 'wacore3' ? 'disconnected' : 'connected' };
    webapp.support[nodeKey(s)] = { role: role(s), shards: owned[s] ?? [], expire_timestamp: '2027-05-01T00:00:00', version: 'v2.53.1' };
  }
  webapp.shards = 2;
  return webapp;
}
