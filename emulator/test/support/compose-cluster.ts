// A throwaway cluster folder (made by cluster-folder.mjs) driven with a real compose CLI: WABA_COMPOSE
// ("docker-compose" = v1, "docker compose" = v2; scripts/test.mjs sets it per pass), else docker-compose.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const [COMPOSE, ...COMPOSE_PREFIX] = (process.env.WABA_COMPOSE || 'docker-compose').trim().split(/\s+/);
const repo = join(__dirname, '..', '..', '..');

export interface ClusterFolder {
  dir: string;
  db: string;
  version: string;
  project: string;
  network: string;
}

export async function exec(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  try {
    const { stdout, stderr } = await run(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, maxBuffer: 64 * 1024 * 1024 });
    return stdout + stderr;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}

/**
 * Only one cluster at a time can publish 9090 and 33060: holds the machine-wide cluster ports lock
 * (scripts/lib/cluster-ports.mjs) for the rest of this test process and waits until the ports are free.
 */
export async function waitForPublishedPortsFree(): Promise<void> {
  const { holdClusterPorts } = await import('../../../scripts/lib/cluster-ports.mjs');
  await holdClusterPorts(`emulator test ${process.argv[1]?.split('/').pop() ?? ''}`.trim());
}

export interface ComposeClusterOptions {
  /** Coreapp containers (3 to 33); more than 3 adds wacore4…N. */
  coreapps?: number;
  /** This cluster's compose CLI ("docker-compose" or "docker compose") instead of WABA_COMPOSE's. */
  compose?: string;
}

export class ComposeCluster {
  private constructor(readonly folder: ClusterFolder, private readonly root: string, private readonly cli: string[]) {}

  static async create(db: 'mysql' | 'postgres', version: string, name: string, options: ComposeClusterOptions = {}): Promise<ComposeCluster> {
    const root = mkdtempSync(join(tmpdir(), 'waba-'));
    const mod = (await import(join(repo, 'emulator', 'scripts', 'cluster-folder.mjs'))) as {
      createClusterFolder(o: { dir: string; db: string; version: string; coreapps?: number }): ClusterFolder;
    };
    const folder = mod.createClusterFolder({ dir: join(root, `${name}${process.pid}`), db, version, coreapps: options.coreapps });
    return new ComposeCluster(folder, root, options.compose ? options.compose.trim().split(/\s+/) : [COMPOSE, ...COMPOSE_PREFIX]);
  }

  compose(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
    const [cli, ...prefix] = this.cli;
    return exec(cli, [...prefix, ...args], { cwd: this.folder.dir, env });
  }

  /**
   * `up -d`; when another cluster (e.g. a concurrently running suite) grabbed 9090/33060
   * in the meantime, waits for the ports and tries again (`up` is idempotent).
   */
  async up(services: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.compose(['up', '-d', ...services], env);
      } catch (e) {
        if (attempt >= 5 || !/port is already allocated/.test((e as Error).message)) throw e;
        console.log('published port taken by another cluster; waiting to retry docker-compose up');
        await waitForPublishedPortsFree();
      }
    }
  }

  async containerId(service: string): Promise<string> {
    // Only the id: compose v2 also writes warnings (e.g. "the attribute `version` is obsolete") to stderr.
    // -a: v2's ps lists running containers only (v1 lists stopped ones too), and a killed node must be found.
    return /^[0-9a-f]{12,64}$/m.exec(await this.compose(['ps', '-a', '-q', service]))?.[0] ?? '';
  }

  /** Every container of a (scaled) service. */
  async containerIds(service: string): Promise<string[]> {
    // Only the ids: compose v2 also writes warnings to stderr, which exec() returns too.
    return (await this.compose(['ps', '-q', service])).split('\n').map((l) => l.trim()).filter((l) => /^[0-9a-f]{12,64}$/.test(l));
  }

  /** Cuts a running service's container off the cluster network (it keeps running). */
  async disconnect(service: string): Promise<void> {
    await exec('docker', ['network', 'disconnect', this.folder.network, await this.containerId(service)]);
  }

  /** Puts it back with the service alias compose gave it (a plain `docker network connect` drops it). */
  async reconnect(service: string): Promise<void> {
    await exec('docker', ['network', 'connect', '--alias', service, this.folder.network, await this.containerId(service)]);
  }

  async containerHostname(service: string): Promise<string> {
    return (await exec('docker', ['inspect', '-f', '{{.Config.Hostname}}', await this.containerId(service)])).trim();
  }

  async logs(service: string): Promise<string> {
    return exec('docker', ['logs', await this.containerId(service)]);
  }

  /** The services' last log lines, for a failure to be understood without rerunning it. */
  async printLogs(services: string[], lines = 60): Promise<void> {
    for (const service of services) {
      const log = await this.logs(service).catch((e: Error) => e.message);
      console.log(`--- ${service} (last ${lines} lines)\n${log.split('\n').slice(-lines).join('\n')}`);
    }
  }

  async kill(service: string): Promise<void> {
    await exec('docker', ['kill', await this.containerId(service)]);
  }

  /** Removes every container, network and volume of the project, and the folder. */
  async destroy(): Promise<void> {
    await this.compose(['down', '-v', '--remove-orphans', '-t', '5']).catch((e) => console.log(`cleanup: ${e.message}`));
    const left = (await exec('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${this.folder.project}`])).trim();
    if (left) await exec('docker', ['rm', '-fv', ...left.split(/\s+/)]);
    const vols = (await exec('docker', ['volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${this.folder.project}`])).trim();
    if (vols) await exec('docker', ['volume', 'rm', ...vols.split(/\s+/)]);
    rmSync(this.root, { recursive: true, force: true });
  }
}
