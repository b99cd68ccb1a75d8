// A throwaway cluster folder (made by cluster-folder.mjs) driven with the real docker-compose CLI.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
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

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '0.0.0.0', () => s.close(() => resolve(true)));
  });
}

/** Only one cluster at a time can publish 9090 and 33060; wait for another run to finish. */
export async function waitForPublishedPortsFree(timeoutMs = 15 * 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let said = false;
  while (!((await portFree(9090)) && (await portFree(33060)))) {
    if (Date.now() > deadline) throw new Error('ports 9090/33060 stayed busy (another cluster is running)');
    if (!said) console.log('waiting for ports 9090 and 33060 (another cluster is up)');
    said = true;
    await sleep(3000);
  }
}

export class ComposeCluster {
  private constructor(readonly folder: ClusterFolder, private readonly root: string) {}

  static async create(db: 'mysql' | 'postgres', version: string, name: string): Promise<ComposeCluster> {
    const root = mkdtempSync(join(tmpdir(), 'waba-'));
    const mod = (await import(join(repo, 'emulator', 'scripts', 'cluster-folder.mjs'))) as {
      createClusterFolder(o: { dir: string; db: string; version: string }): ClusterFolder;
    };
    const folder = mod.createClusterFolder({ dir: join(root, `${name}${process.pid}`), db, version });
    return new ComposeCluster(folder, root);
  }

  compose(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
    return exec('docker-compose', args, { cwd: this.folder.dir, env });
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
    return (await this.compose(['ps', '-q', service])).trim();
  }

  async containerHostname(service: string): Promise<string> {
    return (await exec('docker', ['inspect', '-f', '{{.Config.Hostname}}', await this.containerId(service)])).trim();
  }

  async logs(service: string): Promise<string> {
    return exec('docker', ['logs', await this.containerId(service)]);
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
